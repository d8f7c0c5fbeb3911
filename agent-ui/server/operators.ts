import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';

const operator = z.object({ id: z.uuid(), displayName: z.string(), sipEndpoint: z.string().nullable(), active: z.boolean() }).meta({ id: 'ConsoleOperator' });

/**
 * `GET /api/console/operators`: the court's operators by name, for the wallboard and the KPI tables (which
 * key rows by user id). The users route is admin-only and the judges directory has no operators.
 */
export function registerOperatorsRoute(app: ApiApp, db: Db): void {
  app.get('/api/console/operators', {
    config: { roles: ['manager', 'admin'] },
    schema: { tags: ['console'], summary: "The court's operators (names for the wallboard and KPI tables)", response: { 200: z.array(operator), ...errorResponses } },
    handler: async (request) =>
      db
        .select({ id: users.id, displayName: users.displayName, sipEndpoint: users.sipEndpoint, active: users.active })
        .from(users)
        .where(and(eq(users.courtId, request.actor.courtId), eq(users.role, 'operator')))
        .orderBy(asc(users.displayName)),
  });
}
