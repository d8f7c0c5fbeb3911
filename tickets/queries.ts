import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import { ticketEvents } from './audit.sql.ts';
import { canRead } from './authorize.ts';
import type { TicketRow } from './change.ts';
import { confidentialCategories, maskedEvent, viewAs } from './confidential.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { inboxSchema, parseInput } from './schemas.ts';
import { ticketCalls, tickets } from './tickets.sql.ts';

export interface TicketView extends TicketRow {
  callIds: string[];
  /** Confidential, by its own mark or its category's (confidential.ts). */
  confidential: boolean;
  /** This copy is masked for its reader: no caller identity, no text. */
  masked: boolean;
}

/** One ticket as this actor may see it (a confidential one masked unless they handle it, head it or manage). */
export async function getTicket(ctx: TicketContext, actor: TicketActor, ticketId: string): Promise<TicketView> {
  const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!row || !canRead(actor, row)) throw notFound('ticket', ticketId);
  return withCalls(ctx, actor, [row]).then((r) => r[0]!);
}

/** What a callback or relay call dials: the ticket's stage and its caller's number, never shown (telephony's outbound). */
export async function dialTarget(ctx: TicketContext, actor: TicketActor, ticketId: string): Promise<{ stage: TicketRow['stage']; callerNumber: string | null }> {
  const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!row || !canRead(actor, row)) throw notFound('ticket', ticketId);
  return { stage: row.stage, callerNumber: row.callerNumber };
}

/** The trail of a ticket, oldest first; a masked reader sees no caller identity and no text in it. */
export async function ticketEventsOf(ctx: TicketContext, actor: TicketActor, ticketId: string) {
  const ticket = await getTicket(ctx, actor, ticketId);
  const events = await ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.id));
  return ticket.masked ? events.map(maskedEvent) : events;
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
  return withCalls(ctx, actor, rows);
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
  return withCalls(ctx, actor, rows);
}

/** The rows with their calls, each as the actor may see it. */
async function withCalls(ctx: TicketContext, actor: TicketActor, rows: TicketRow[]): Promise<TicketView[]> {
  if (rows.length === 0) return [];
  const [calls, codes] = await Promise.all([
    ctx.db.select().from(ticketCalls).where(inArray(ticketCalls.ticketId, rows.map((r) => r.id))).orderBy(asc(ticketCalls.createdAt)),
    confidentialCategories(ctx.db),
  ]);
  return rows.map((r) => viewAs(actor, { ...r, callIds: calls.filter((c) => c.ticketId === r.id).map((c) => c.callId) }, codes));
}
