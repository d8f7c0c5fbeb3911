import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { courts } from '../platform/courts.sql.ts';
import { departments, users } from '../platform/directory.sql.ts';
import type { Tx } from './audit.ts';
import { chinaDay } from '../platform/calendar/working-calendar.ts';
import { categories } from './categories.sql.ts';
import { invalid, notFound } from './errors.ts';
import { ticketNumberCounters } from './tickets.sql.ts';

type Reader = Db | Tx;

export type Category = typeof categories.$inferSelect;

export async function loadCategory(db: Reader, code: string): Promise<Category> {
  const [row] = await db.select().from(categories).where(eq(categories.code, code));
  if (!row || !row.active) throw invalid('unknown_category', `Unknown ticket category "${code}"`, `工单类别“${code}”不存在或已停用`);
  return row;
}

/** The next readable number, e.g. J0811-20261121-0007: one upsert, so concurrent creators never collide. */
export async function allocateTicketNumber(tx: Tx, courtId: string, now: Date): Promise<string> {
  const [court] = await tx.select({ code: courts.code }).from(courts).where(eq(courts.id, courtId));
  if (!court) throw notFound('court', courtId);
  const day = chinaDay(now).replaceAll('-', '');
  const [counter] = await tx
    .insert(ticketNumberCounters)
    .values({ courtId, day, last: 1 })
    .onConflictDoUpdate({ target: [ticketNumberCounters.courtId, ticketNumberCounters.day], set: { last: sql`${ticketNumberCounters.last} + 1` } })
    .returning({ last: ticketNumberCounters.last });
  return `${court.code}-${day}-${String(counter!.last).padStart(4, '0')}`;
}

export interface Handler {
  handlerUserId: string | null;
  handlerDepartmentId: string;
}

/** A judge or head of this court (with their department), or a department of this court. */
export async function resolveHandler(db: Reader, courtId: string, target: { handlerUserId?: string | undefined; handlerDepartmentId?: string | undefined }): Promise<Handler> {
  if (target.handlerUserId) {
    const [user] = await db.select().from(users).where(eq(users.id, target.handlerUserId));
    if (!user || user.courtId !== courtId || !user.active) throw notFound('user', target.handlerUserId);
    if (user.role !== 'judge' && user.role !== 'department_head') {
      throw invalid('handler_not_judge', 'A ticket is handed to a judge, a department head or a department', '工单只能交办给承办法官、部门负责人或部门');
    }
    if (!user.departmentId) throw invalid('handler_without_department', 'This judge belongs to no department', '该法官未设置所在部门');
    return { handlerUserId: user.id, handlerDepartmentId: user.departmentId };
  }
  const id = target.handlerDepartmentId!;
  const [department] = await db.select().from(departments).where(eq(departments.id, id));
  if (!department || department.courtId !== courtId || !department.active) throw notFound('department', id);
  return { handlerUserId: null, handlerDepartmentId: department.id };
}

/** Active users of a department with one of these roles (to notify a department or its head). */
export async function departmentUserIds(db: Reader, departmentId: string, roles: ('judge' | 'department_head')[]): Promise<string[]> {
  const rows = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(and(eq(users.departmentId, departmentId), eq(users.active, true)))
    .orderBy(asc(users.username));
  return rows.filter((r) => (roles as string[]).includes(r.role)).map((r) => r.id);
}
