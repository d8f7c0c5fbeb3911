import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import { ticketEvents } from './audit.sql.ts';
import { canRead } from './authorize.ts';
import type { TicketRow } from './change.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { inboxSchema, parseInput } from './schemas.ts';
import { ticketCalls, tickets } from './tickets.sql.ts';

export interface TicketView extends TicketRow {
  callIds: string[];
}

export async function getTicket(ctx: TicketContext, actor: TicketActor, ticketId: string): Promise<TicketView> {
  const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!row || !canRead(actor, row)) throw notFound('ticket', ticketId);
  return withCalls(ctx, [row]).then((r) => r[0]!);
}

/** The trail of a ticket, oldest first. */
export async function ticketEventsOf(ctx: TicketContext, actor: TicketActor, ticketId: string) {
  await getTicket(ctx, actor, ticketId);
  return ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.id));
}

/** The caller's tickets by phone number, newest first, for the operator's screen pop (telephony adds calls). */
export async function callerHistory(ctx: TicketContext, actor: TicketActor, callerNumber: string, limit = 50): Promise<TicketView[]> {
  if (actor.role === 'judge' || actor.role === 'department_head') throw forbidden('Caller history is for the hotline desk', '来电历史仅供热线话务与管理人员查看');
  const rows = await ctx.db
    .select()
    .from(tickets)
    .where(and(eq(tickets.courtId, actor.courtId), eq(tickets.callerNumber, callerNumber)))
    .orderBy(desc(tickets.createdAt))
    .limit(limit);
  return withCalls(ctx, rows);
}

/**
 * A judge's inbox (tickets handed to them, or to their department with no one named) or a head's department
 * view, still being handled, earliest deadline first; filters: due soon, overdue, extension requested.
 */
export async function inbox(ctx: TicketContext, actor: TicketActor, input: unknown = {}): Promise<TicketView[]> {
  const { filter, dueSoonHours, limit } = parseInput(inboxSchema, input);
  if (!actor.departmentId || (actor.role !== 'judge' && actor.role !== 'department_head')) {
    throw forbidden('The inbox is for judges and department heads', '待办箱仅供承办法官和部门负责人使用');
  }
  const now = ctx.clock.now();
  const mine: SQL =
    actor.role === 'department_head'
      ? eq(tickets.handlerDepartmentId, actor.departmentId)
      : or(eq(tickets.handlerUserId, actor.userId), and(isNull(tickets.handlerUserId), eq(tickets.handlerDepartmentId, actor.departmentId)))!;
  const filters: Record<typeof filter, SQL | undefined> = {
    all: undefined,
    due_soon: and(lte(tickets.deadline, new Date(now.getTime() + dueSoonHours * 3600_000)), gt(tickets.deadline, now)),
    overdue: lte(tickets.deadline, now),
    extension_requested: isNotNull(tickets.extensionRequestedUntil),
  };
  const rows = await ctx.db
    .select()
    .from(tickets)
    .where(and(eq(tickets.courtId, actor.courtId), inArray(tickets.stage, ['handoff', 'chase']), mine, filters[filter]))
    .orderBy(asc(tickets.deadline))
    .limit(limit);
  return withCalls(ctx, rows);
}

async function withCalls(ctx: TicketContext, rows: TicketRow[]): Promise<TicketView[]> {
  if (rows.length === 0) return [];
  const calls = await ctx.db.select().from(ticketCalls).where(inArray(ticketCalls.ticketId, rows.map((r) => r.id))).orderBy(asc(ticketCalls.createdAt));
  return rows.map((r) => ({ ...r, callIds: calls.filter((c) => c.ticketId === r.id).map((c) => c.callId) }));
}
