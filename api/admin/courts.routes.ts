import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { courts } from '../../platform/courts.sql.ts';
import type { Db } from '../../platform/db/client.ts';
import { text } from '../../platform/text.ts';
import { userRoles } from '../../platform/user-roles.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { errors } from '../../platform/http/errors.ts';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';

const courtSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string(), createdAt: z.date() }).meta({ id: 'Court' });

/**
 * The signed-in user's court. Courts themselves are created per deployment with `npm run admin:create`
 * (api/bootstrap); an admin manages only their own court.
 */
export function registerCourtRoutes(app: ApiApp, db: Db, audit: AuditLog): void {
  app.get('/api/courts/current', {
    config: { roles: userRoles },
    schema: { tags: ['directory'], summary: 'The court of the signed-in user', response: { 200: courtSchema, ...errorResponses } },
    handler: async (request) => {
      const [court] = await db.select().from(courts).where(eq(courts.id, request.actor.courtId));
      if (!court) throw errors.notFound('court');
      return court;
    },
  });

  app.patch('/api/courts/current', {
    config: { roles: ['admin'] },
    schema: { tags: ['admin'], summary: 'Rename the admin’s court', body: z.strictObject({ name: text(200) }), response: { 200: courtSchema, ...errorResponses } },
    handler: async (request) => {
      const { actor } = request;
      return db.transaction(async (tx) => {
        const [court] = await tx.update(courts).set({ name: request.body.name }).where(eq(courts.id, actor.courtId)).returning();
        if (!court) throw errors.notFound('court');
        await audit.record({ action: 'court.updated', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'court', targetId: actor.courtId, detail: { name: request.body.name }, ip: request.ip }, tx);
        return court;
      });
    },
  });
}
