import { z } from 'zod';
import { auditActions, type AuditLog } from '../audit/audit-log.ts';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';

const auditEntrySchema = z
  .object({
    id: z.number(),
    at: z.date(),
    courtId: z.uuid().nullable(),
    actorUserId: z.uuid().nullable(),
    action: z.enum(auditActions),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export function registerAuditRoutes(app: ApiApp, audit: AuditLog): void {
  app.get('/api/audit', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'The court’s sign-in and permission-change trail, newest first',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), beforeId: z.coerce.number().int().positive().optional() }),
      response: { 200: z.array(auditEntrySchema), ...errorResponses },
    },
    handler: async (request) => {
      const rows = await audit.list(request.actor.courtId, request.query);
      return rows.map((row) => ({ ...row, action: row.action as (typeof auditActions)[number] }));
    },
  });
}
