import { and, asc, count, desc, eq, gt, gte, ilike, inArray, lt, lte, not, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { addDays, chinaDay, endOfChinaDay } from '../platform/calendar/working-calendar.ts';
import { scopeCondition } from '../platform/court-scope.ts';
import { departments, users } from '../platform/directory.sql.ts';
import { maskPhone } from '../platform/masking.ts';
import type { Actor } from '../platform/user-roles.ts';
import { parseCaseNumber } from './case-number.ts';
import { categories } from './categories.sql.ts';
import { confidentialCategories, viewAs } from './confidential.ts';
import type { TicketContext } from './context.ts';
import { loadCourtCalendar } from './court-calendar.ts';
import { forbidden } from './errors.ts';
import type { TicketView } from './queries.ts';
import { ticketCalls, tickets } from './tickets.sql.ts';
import type { Stage } from './vocabulary.ts';
import type { WorklistFilters, WorklistSort } from './worklist-schema.ts';

/**
 * Matching tickets are counted up to this many: a count over millions of rows would cost more than the page (at
 * 2,400,000 tickets a broad filter's count to 10,000 took 216 ms, bench/worklist.ts); past it the list says "more
 * than 1,000: narrow the filters".
 */
export const worklistTotalCap = 1_000;
/** An export writes at most this many tickets. */
export const worklistExportCap = 10_000;
/** Stages a ticket passes through while open: a small share of a court's history (its work in progress). */
const openStages: Stage[] = ['answer', 'handoff', 'chase', 'feedback', 'callback'];

export interface WorklistRow extends TicketView {
  ownerName: string | null;
  handlerName: string | null;
  departmentName: string | null;
  categoryName: string | null;
  overdue: boolean;
}

/** Stages in which a ticket is no longer worked on (its deadline can no longer be missed). */
const finished: Stage[] = ['closed', 'void'];
/**
 * Still open and not yet told to the caller: written with literals, exactly as the partial indexes
 * tickets_open_court_deadline and tickets_open_department_deadline say it (migration 0007), so PostgreSQL uses them.
 */
const openTicket = sql`${tickets.stage} not in ('closed', 'void') and ${tickets.deliveredAt} is null`;

const sortColumns: Record<WorklistSort, typeof tickets.deadline | typeof tickets.createdAt | typeof tickets.updatedAt | typeof tickets.number> = {
  deadline: tickets.deadline,
  created: tickets.createdAt,
  updated: tickets.updatedAt,
  number: tickets.number,
};

/** The list is for the hotline's desk and its heads: a judge works from the inbox (GET /api/tickets-inbox). */
function assertListReader(actor: Actor): void {
  if (actor.role === 'judge') throw forbidden('The work list is for operators, department heads and managers', '工单列表仅供话务员、部门负责人和管理人员使用');
}

/** The filters as one WHERE condition, inside what the actor may see (their court; a head: their department). */
async function conditionFor(ctx: TicketContext, actor: Actor, f: WorklistFilters): Promise<SQL> {
  const now = ctx.clock.now();
  const where: (SQL | undefined)[] = [scopeCondition(actor, { courtId: tickets.courtId, departmentId: tickets.handlerDepartmentId })];
  if (f.scope === 'mine') where.push(actor.role === 'operator' ? eq(tickets.ownerId, actor.userId) : or(eq(tickets.ownerId, actor.userId), eq(tickets.handlerUserId, actor.userId)));
  if (f.stage) where.push(inArray(tickets.stage, f.stage));
  if (f.due === 'overdue') where.push(lte(tickets.deadline, now), openTicket);
  if (f.due === 'due_soon') {
    const calendar = await loadCourtCalendar(ctx.db, actor.courtId);
    const until = endOfChinaDay(calendar.addWorkingDays(chinaDay(now), 1));
    where.push(gt(tickets.deadline, now), lte(tickets.deadline, until), openTicket);
  }
  if (f.ownerId) where.push(eq(tickets.ownerId, f.ownerId));
  if (f.handlerUserId) where.push(eq(tickets.handlerUserId, f.handlerUserId));
  if (f.departmentId) where.push(eq(tickets.handlerDepartmentId, f.departmentId));
  if (f.category) where.push(eq(tickets.category, f.category));
  if (f.createdFrom) where.push(gte(tickets.createdAt, new Date(`${f.createdFrom}T00:00:00+08:00`)));
  if (f.createdTo) where.push(lt(tickets.createdAt, new Date(`${addDays(f.createdTo, 1)}T00:00:00+08:00`)));

  // What identifies the caller or was said: a reader who sees a confidential ticket masked must not find it by it either.
  const searchesText = Boolean(f.callerNumber || f.caseNumber || f.q);
  if (f.callerNumber) where.push(eq(tickets.callerNumber, f.callerNumber));
  if (f.caseNumber) {
    const parsed = parseCaseNumber(f.caseNumber);
    where.push(parsed.ok ? eq(tickets.caseNumber, parsed.value.normalized) : ilike(tickets.caseNumber, `%${likeEscape(f.caseNumber)}%`));
  }
  // The same expression as the trigram index tickets_text_trgm (migration 0006), so PostgreSQL can use it.
  if (f.q) where.push(sql`(${tickets.summary} || ' ' || ${tickets.details}) ilike ${`%${likeEscape(f.q)}%`}`);
  if (searchesText && (actor.role === 'operator' || actor.role === 'admin')) {
    const codes = [...(await confidentialCategories(ctx.db))];
    where.push(not(tickets.confidential), codes.length > 0 ? notInArray(tickets.category, codes) : undefined);
  }
  return and(...where) as SQL;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of the work list (offset paging), with the number of matching tickets up to `worklistTotalCap`. */
export async function worklistPage(ctx: TicketContext, actor: Actor, query: WorklistFilters & { page: number; pageSize: number }) {
  assertListReader(actor);
  const where = await conditionFor(ctx, actor, query);
  const offset = (query.page - 1) * query.pageSize;
  const capped = ctx.db.select({ one: sql`1` }).from(tickets).where(where).limit(worklistTotalCap + 1).as('capped');
  const [rows, [counted]] = await Promise.all([
    pageRows(ctx, actor, where, query.sort, query.dir, query.pageSize, offset, onlyOpen(query)),
    ctx.db.select({ n: count() }).from(capped),
  ]);
  const n = counted?.n ?? 0;
  return { rows, total: Math.min(n, worklistTotalCap), totalCapped: n > worklistTotalCap, page: query.page, pageSize: query.pageSize };
}

/** Every matching ticket (at most `worklistExportCap`), in the list's order: what an export writes. */
export async function worklistAll(ctx: TicketContext, actor: Actor, filters: WorklistFilters): Promise<{ rows: WorklistRow[]; capped: boolean }> {
  assertListReader(actor);
  const where = await conditionFor(ctx, actor, filters);
  const rows = await pageRows(ctx, actor, where, filters.sort, filters.dir, worklistExportCap + 1, 0, onlyOpen(filters));
  return { rows: rows.slice(0, worklistExportCap), capped: rows.length > worklistExportCap };
}

/** The stage filter names open stages only (few rows, spread over every deadline of the court's history). */
const onlyOpen = (f: WorklistFilters) => Boolean(f.stage && f.stage.every((s) => openStages.includes(s)));

const owner = alias(users, 'owner');
const handler = alias(users, 'handler');

async function pageRows(ctx: TicketContext, actor: Actor, where: SQL, sort: WorklistSort, dir: 'asc' | 'desc', limit: number, offset: number, fewRows = false): Promise<WorklistRow[]> {
  const by = dir === 'asc' ? asc : desc;
  // Open stages only: PostgreSQL would walk the court's whole deadline order looking for them (it cannot know that
  // open tickets are the recent few), 390 ms at 2,400,000 tickets; ordering by an expression no index has makes it
  // take the stage index and sort those few rows instead (bench/worklist.ts). Same order, same nulls.
  const column = sortColumns[sort];
  const key = fewRows ? sql`coalesce(${column}, ${column})` : column;
  const found = await ctx.db
    .select({ ticket: tickets, ownerName: owner.displayName, handlerName: handler.displayName, departmentName: departments.name, categoryName: categories.nameZh })
    .from(tickets)
    .leftJoin(owner, eq(owner.id, tickets.ownerId))
    .leftJoin(handler, eq(handler.id, tickets.handlerUserId))
    .leftJoin(departments, eq(departments.id, tickets.handlerDepartmentId))
    .leftJoin(categories, eq(categories.code, tickets.category))
    .where(where)
    .orderBy(by(key), by(tickets.id))
    .limit(limit)
    .offset(offset);
  if (found.length === 0) return [];
  const ids = found.map((r) => r.ticket.id);
  const [links, codes] = await Promise.all([ctx.db.select().from(ticketCalls).where(inArray(ticketCalls.ticketId, ids)).orderBy(asc(ticketCalls.createdAt)), confidentialCategories(ctx.db)]);
  const now = ctx.clock.now().getTime();
  return found.map(({ ticket, ...names }) => {
    const seen = viewAs(actor, { ...ticket, callIds: links.filter((l) => l.ticketId === ticket.id).map((l) => l.callId) }, codes);
    const overdue = ticket.deadline !== null && ticket.deadline.getTime() <= now && !finished.includes(ticket.stage) && ticket.deliveredAt === null;
    // Lists show the caller's number masked; the ticket page shows it in full to those who may see it.
    return { ...seen, callerNumber: maskPhone(seen.callerNumber), ...names, overdue };
  });
}
