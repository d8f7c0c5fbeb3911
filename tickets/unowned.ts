import { and, desc, eq, gte, inArray, isNull } from 'drizzle-orm';
import type { Actor } from '../platform/user-roles.ts';
import { changeTicket, type TicketRow } from './change.ts';
import { confidentialCategories, viewAs } from './confidential.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { conflict, forbidden } from './errors.ts';
import { ticketCalls, tickets } from './tickets.sql.ts';

/**
 * Work no one owns (无人认领): tickets of the actor's court in the answer stage with no owner — a caller's message
 * or callback request (intake.ts createFromMessage), or a menu transfer no handler could take — created since
 * `since`, newest first (at most 500), each with the calls behind it. A confidential one is masked for an
 * operator (confidential.ts): its `callIds` are empty, `sourceCallIds` are for the server only. Operators and managers only.
 */
export async function unownedTickets(ctx: Pick<TicketContext, 'db'>, actor: Actor, since: Date) {
  if (actor.role !== 'operator' && actor.role !== 'manager') throw forbidden('Only operators and managers see unowned tickets', '只有话务员和管理人员可以查看待认领工单');
  const rows = await ctx.db
    .select({
      id: tickets.id,
      number: tickets.number,
      category: tickets.category,
      summary: tickets.summary,
      callerNumber: tickets.callerNumber,
      confidential: tickets.confidential,
      handlerUserId: tickets.handlerUserId,
      handlerDepartmentId: tickets.handlerDepartmentId,
      createdAt: tickets.createdAt,
    })
    .from(tickets)
    .where(and(eq(tickets.courtId, actor.courtId), eq(tickets.stage, 'answer'), isNull(tickets.ownerId), gte(tickets.createdAt, since)))
    .orderBy(desc(tickets.createdAt))
    .limit(500);
  if (rows.length === 0) return [];
  const [links, codes] = await Promise.all([
    ctx.db.select({ ticketId: ticketCalls.ticketId, callId: ticketCalls.callId }).from(ticketCalls).where(inArray(ticketCalls.ticketId, rows.map((r) => r.id))),
    confidentialCategories(ctx.db),
  ]);
  const callIds = new Map<string, string[]>();
  for (const l of links) callIds.set(l.ticketId, [...(callIds.get(l.ticketId) ?? []), l.callId]);
  // `sourceCallIds`: the calls behind it even when masked, for the server to tell a message from a callback request;
  // the unowned queue shows a masked ticket's calls to no one (telephony/unowned/service.ts).
  return rows.map((r) => ({ ...viewAs(actor, { ...r, callIds: callIds.get(r.id) ?? [] }, codes), sourceCallIds: callIds.get(r.id) ?? [] }));
}

/**
 * 认领: the operator becomes the ticket's first-contact owner (首问负责). Only an unowned ticket in the answer stage;
 * the row is locked for the change, so of two operators claiming at once exactly one wins and the other gets 409
 * `already_claimed`. Audited as the `claim` action.
 */
export async function claimTicket(ctx: TicketContext, actor: TicketActor, ticketId: string): Promise<TicketRow> {
  return changeTicket(ctx, actor, ticketId, 'claim', (ticket) => {
    if (ticket.ownerId) throw conflict('already_claimed', `Ticket ${ticket.number} already has an owner`, `工单 ${ticket.number} 已被认领`);
    return { patch: { ownerId: actor.userId } };
  });
}
