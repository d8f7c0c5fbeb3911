import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import { userRoles } from '../../platform/user-roles.ts';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { maskPhone } from '../../platform/masking.ts';

const judgeSchema = z
  .object({
    userId: z.uuid(),
    displayName: z.string(),
    role: z.enum(['judge', 'department_head']),
    departmentId: z.uuid().nullable(),
    departmentName: z.string().nullable(),
    /** Masked when it is an outside number; telephony dials the real one by userId. */
    extension: z.string().nullable(),
  })
  .meta({ id: 'Judge' });

/** The judges directory (承办法官): whom operators hand off and transfer to. Everyone in the court may read it. */
export function registerJudgeRoutes(app: ApiApp, db: Db): void {
  app.get('/api/judges', {
    config: { roles: userRoles },
    schema: {
      tags: ['directory'],
      summary: 'Active judges and department heads of the court',
      querystring: z.strictObject({ departmentId: z.uuid().optional() }),
      response: { 200: z.array(judgeSchema), ...errorResponses },
    },
    handler: async (request) => {
      const rows = await db
        .select({ userId: users.id, displayName: users.displayName, role: users.role, departmentId: users.departmentId, departmentName: departments.name, extension: users.extension })
        .from(users)
        .leftJoin(departments, eq(departments.id, users.departmentId))
        .where(
          and(
            eq(users.courtId, request.actor.courtId),
            eq(users.active, true),
            inArray(users.role, ['judge', 'department_head']),
            request.query.departmentId ? eq(users.departmentId, request.query.departmentId) : undefined,
          ),
        )
        .orderBy(departments.name, users.displayName);
      return rows.map((row) => ({ ...row, role: row.role as 'judge' | 'department_head', extension: maskPhone(row.extension) }));
    },
  });
}
