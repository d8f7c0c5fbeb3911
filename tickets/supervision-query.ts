import { and, asc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { chinaDay, endOfChinaDay } from '../platform/calendar/working-calendar.ts';
import { departments, users } from '../platform/directory.sql.ts';
import type { TicketContext } from './context.ts';
import { loadCourtCalendar } from './court-calendar.ts';
import { forbidden } from './errors.ts';
import { tickets } from './tickets.sql.ts';

/** Age of open work since its hand-off, in calendar days: the backlog chart's buckets. */
export const ageBuckets = ['d0_1', 'd1_3', 'd3_7', 'd7_plus'] as const;
export type AgeBucket = (typeof ageBuckets)[number];

export interface SupervisionCounts {
  open: number;
  overdue: number;
  dueSoon: number;
  extensionRequested: number;
}

export interface SupervisionBoard {
  asOf: Date;
  /** Soon due: due after now and by the end of the next working day (the court's calendar). */
  dueSoonUntil: Date;
  totals: SupervisionCounts;
  departments: (SupervisionCounts & { departmentId: string | null; departmentName: string | null; backlog: Record<AgeBucket, number> })[];
  judges: (SupervisionCounts & { handlerUserId: string | null; handlerName: string | null; departmentId: string | null; departmentName: string | null })[];
  /** Overdue and soon-due tickets (and those with an extension waiting), earliest deadline first. */
  tickets: {
    id: string;
    number: string;
    category: string;
    summary: string;
    stage: 'handoff' | 'chase';
    deadline: Date | null;
    handedOffAt: Date | null;
    acceptedAt: Date | null;
    chaseLevel: number;
    extensionRequestedUntil: Date | null;
    extensionReason: string | null;
    handlerUserId: string | null;
    handlerName: string | null;
    departmentId: string | null;
    departmentName: string | null;
    overdue: boolean;
  }[];
  /** The list holds at most this many rows; `totals` counts them all. */
  limit: number;
}

const dayMs = 86_400_000;
export const supervisionListLimit = 300;

/**
 * The 督办 board: work being handled (hand-off and chase stages) that is overdue or due by the end of the next
 * working day, counted by department and by judge, with its list and a backlog by age. A department head sees
 * their department, a manager the court; no one else. Read-only.
 */
export async function supervisionBoard(ctx: TicketContext, actor: { role: string; courtId: string; departmentId: string | null }): Promise<SupervisionBoard> {
  if (actor.role !== 'manager' && !(actor.role === 'department_head' && actor.departmentId)) {
    throw forbidden('The supervision board is for department heads and managers', '督办看板仅供部门负责人和管理人员使用');
  }
  const now = ctx.clock.now();
  const calendar = await loadCourtCalendar(ctx.db, actor.courtId);
  const dueSoonUntil = endOfChinaDay(calendar.addWorkingDays(chinaDay(now), 1));
  const scope: SQL = and(
    eq(tickets.courtId, actor.courtId),
    inArray(tickets.stage, ['handoff', 'chase']),
    actor.role === 'department_head' ? eq(tickets.handlerDepartmentId, actor.departmentId!) : undefined,
  )!;

  // Times as ISO text in raw SQL: typed by the column they meet, on PostgreSQL and PGlite alike.
  const iso = (at: Date) => at.toISOString();
  const overdue = sql`${tickets.deadline} <= ${iso(now)}`;
  const dueSoon = sql`${tickets.deadline} > ${iso(now)} and ${tickets.deadline} <= ${iso(dueSoonUntil)}`;
  const age = (fromDays: number, toDays: number | null) =>
    sql<number>`(count(*) filter (where ${tickets.handedOffAt} <= ${iso(new Date(now.getTime() - fromDays * dayMs))}${toDays === null ? sql`` : sql` and ${tickets.handedOffAt} > ${iso(new Date(now.getTime() - toDays * dayMs))}`}))::int`;
  const counts = {
    open: sql<number>`count(*)::int`,
    overdue: sql<number>`(count(*) filter (where ${overdue}))::int`,
    dueSoon: sql<number>`(count(*) filter (where ${dueSoon}))::int`,
    extensionRequested: sql<number>`(count(*) filter (where ${tickets.extensionRequestedUntil} is not null))::int`,
  };
  const handler = alias(users, 'handler');
  const rows = await ctx.db
    .select({
      departmentId: tickets.handlerDepartmentId,
      departmentName: departments.name,
      handlerUserId: tickets.handlerUserId,
      handlerName: handler.displayName,
      ...counts,
      d0_1: sql<number>`(count(*) filter (where ${tickets.handedOffAt} is null or ${tickets.handedOffAt} > ${iso(new Date(now.getTime() - dayMs))}))::int`,
      d1_3: age(1, 3),
      d3_7: age(3, 7),
      d7_plus: age(7, null),
    })
    .from(tickets)
    .leftJoin(departments, eq(departments.id, tickets.handlerDepartmentId))
    .leftJoin(handler, eq(handler.id, tickets.handlerUserId))
    .where(scope)
    .groupBy(tickets.handlerDepartmentId, departments.name, tickets.handlerUserId, handler.displayName);

  const zero = (): SupervisionCounts => ({ open: 0, overdue: 0, dueSoon: 0, extensionRequested: 0 });
  const add = (into: SupervisionCounts, r: SupervisionCounts) => {
    into.open += r.open;
    into.overdue += r.overdue;
    into.dueSoon += r.dueSoon;
    into.extensionRequested += r.extensionRequested;
  };
  const totals = zero();
  const byDepartment = new Map<string, SupervisionBoard['departments'][number]>();
  for (const r of rows) {
    add(totals, r);
    const key = r.departmentId ?? '';
    const d = byDepartment.get(key) ?? { departmentId: r.departmentId, departmentName: r.departmentName, ...zero(), backlog: { d0_1: 0, d1_3: 0, d3_7: 0, d7_plus: 0 } };
    add(d, r);
    for (const b of ageBuckets) d.backlog[b] += r[b];
    byDepartment.set(key, d);
  }
  const judges = rows
    .filter((r) => r.handlerUserId !== null)
    .map((r) => ({ handlerUserId: r.handlerUserId, handlerName: r.handlerName, departmentId: r.departmentId, departmentName: r.departmentName, open: r.open, overdue: r.overdue, dueSoon: r.dueSoon, extensionRequested: r.extensionRequested }))
    .sort((a, b) => b.overdue - a.overdue || b.dueSoon - a.dueSoon || (a.handlerName ?? '').localeCompare(b.handlerName ?? '', 'zh-CN'));
  // Work handed to a department with no judge named yet shows in the department's row, not among the judges.

  const list = await ctx.db
    .select({
      id: tickets.id,
      number: tickets.number,
      category: tickets.category,
      summary: tickets.summary,
      stage: tickets.stage,
      deadline: tickets.deadline,
      handedOffAt: tickets.handedOffAt,
      acceptedAt: tickets.acceptedAt,
      chaseLevel: tickets.chaseLevel,
      extensionRequestedUntil: tickets.extensionRequestedUntil,
      extensionReason: tickets.extensionReason,
      handlerUserId: tickets.handlerUserId,
      handlerName: handler.displayName,
      departmentId: tickets.handlerDepartmentId,
      departmentName: departments.name,
    })
    .from(tickets)
    .leftJoin(departments, eq(departments.id, tickets.handlerDepartmentId))
    .leftJoin(handler, eq(handler.id, tickets.handlerUserId))
    .where(and(scope, sql`(${lte(tickets.deadline, dueSoonUntil)} or ${tickets.extensionRequestedUntil} is not null)`))
    .orderBy(asc(tickets.deadline), asc(tickets.number))
    .limit(supervisionListLimit);

  return {
    asOf: now,
    dueSoonUntil,
    totals,
    departments: [...byDepartment.values()].sort((a, b) => b.overdue - a.overdue || (a.departmentName ?? '').localeCompare(b.departmentName ?? '', 'zh-CN')),
    judges,
    // Heads and managers read confidential tickets in full (confidential.ts `seesConfidential`), so nothing is masked.
    tickets: list.map((t) => ({ ...t, stage: t.stage as 'handoff' | 'chase', overdue: t.deadline !== null && t.deadline <= now })),
    limit: supervisionListLimit,
  };
}
