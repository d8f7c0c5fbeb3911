import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import type { DeskRow, OperatorRow } from './users-config.ts';

/** Active operators with a softphone endpoint, and the desk phones of active judges, heads and departments. */
export async function readEndpointUsers(db: Db): Promise<{ operators: OperatorRow[]; desks: DeskRow[] }> {
  const operatorRows = await db
    .select({ userId: users.id, username: users.username, displayName: users.displayName, sipEndpoint: users.sipEndpoint })
    .from(users)
    .where(and(eq(users.active, true), eq(users.role, 'operator'), isNotNull(users.sipEndpoint)));
  const judgeRows = await db
    .select({ owner: users.username, extension: users.extension })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, ['judge', 'department_head']), isNotNull(users.extension)));
  const departmentRows = await db
    .select({ owner: departments.name, extension: departments.extension })
    .from(departments)
    .where(and(eq(departments.active, true), isNotNull(departments.extension)));
  return {
    operators: operatorRows.map((r) => ({ userId: r.userId, username: r.username, displayName: r.displayName, sipEndpoint: r.sipEndpoint! })),
    desks: [...judgeRows, ...departmentRows].map((r) => ({ owner: r.owner, extension: r.extension! })),
  };
}
