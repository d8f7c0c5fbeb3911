import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import { softphoneRoles, type DeskRow, type OperatorRow } from './users-config.ts';

/** Rows with the court they belong to and a name for people: the files are one per deployment, the page one court's. */
export interface SourcedOperator extends OperatorRow {
  courtId: string;
}
export interface SourcedDesk extends DeskRow {
  courtId: string;
  kind: 'judge' | 'department';
  /** A judge's or head's display name, or the department's name. */
  label: string;
}

/** Active operators, heads and managers with a console softphone endpoint, and the desk phones of active judges, heads and departments. */
export async function readEndpointUsers(db: Pick<Db, 'select'>): Promise<{ operators: SourcedOperator[]; desks: SourcedDesk[] }> {
  const operatorRows = await db
    .select({ userId: users.id, courtId: users.courtId, role: users.role, username: users.username, displayName: users.displayName, sipEndpoint: users.sipEndpoint })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, [...softphoneRoles]), isNotNull(users.sipEndpoint)));
  const judgeRows = await db
    .select({ owner: users.username, label: users.displayName, courtId: users.courtId, extension: users.extension })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, ['judge', 'department_head']), isNotNull(users.extension)));
  const departmentRows = await db
    .select({ owner: departments.name, courtId: departments.courtId, extension: departments.extension })
    .from(departments)
    .where(and(eq(departments.active, true), isNotNull(departments.extension)));
  return {
    operators: operatorRows.map((r) => ({ userId: r.userId, courtId: r.courtId, role: r.role as OperatorRow['role'], username: r.username, displayName: r.displayName, sipEndpoint: r.sipEndpoint! })),
    desks: [
      ...judgeRows.map((r) => ({ owner: r.owner, label: r.label, courtId: r.courtId, kind: 'judge' as const, extension: r.extension! })),
      ...departmentRows.map((r) => ({ owner: r.owner, label: r.owner, courtId: r.courtId, kind: 'department' as const, extension: r.extension! })),
    ],
  };
}
