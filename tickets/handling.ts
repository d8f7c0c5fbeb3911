import type { Tx } from './audit.ts';
import { changeTicket, type TicketRow } from './change.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { computeDeadline } from './deadline.ts';
import { conflict, forbidden, invalid } from './errors.ts';
import { handlerAndHead, handlerAudience, headAudience, managers, ownerAudience } from './notices.ts';
import { loadCourtCalendar } from './court-calendar.ts';
import { loadCategory, resolveHandler } from './repository.ts';
import { handoffNoticeJobs } from './sms/handoff-notice.ts';
import { chaseSchema, decideExtensionSchema, parseInput, reassignSchema, replySchema, requestExtensionSchema, voidSchema, type ReassignInput } from './schemas.ts';

/** The handler (or, for a department ticket, a judge of it, who then becomes the handler) accepts. */
export async function accept(ctx: TicketContext, actor: TicketActor, ticketId: string): Promise<TicketRow> {
  return changeTicket(ctx, actor, ticketId, 'accept', (ticket, _tx, now) => {
    if (ticket.acceptedAt) throw conflict('already_accepted', 'This ticket has already been accepted', '该工单已签收');
    return {
      patch: { acceptedAt: now, ...(ticket.handlerUserId ? {} : { handlerUserId: actor.userId }) },
      notices: [{ type: 'ticket.accepted', audience: ownerAudience(ticket.ownerId) }],
    };
  });
}

/**
 * A head moves a ticket to another judge of the department (a manager: anywhere in the court). The deadline
 * stands; the caller is told who handles it now (the hand-off notice, sms/handoff-notice.ts).
 */
export async function reassign(ctx: TicketContext, actor: TicketActor, ticketId: string, input: ReassignInput): Promise<TicketRow> {
  const { reason, ...target } = parseInput(reassignSchema, input);
  return changeTicket(ctx, actor, ticketId, 'reassign', async (ticket, tx, now) => {
    const handler = await resolveHandler(tx, ticket.courtId, target);
    if (actor.role === 'department_head' && handler.handlerDepartmentId !== actor.departmentId) {
      throw forbidden('A department head reassigns within the department', '部门负责人只能在本部门内改派');
    }
    if (handler.handlerUserId === ticket.handlerUserId && handler.handlerDepartmentId === ticket.handlerDepartmentId) {
      throw invalid('same_handler', 'The ticket is already with this handler', '工单已由该承办人办理');
    }
    return {
      patch: { ...handler, acceptedAt: null },
      reason,
      notices: [{ type: 'ticket.assigned', audience: handlerAudience(handler) }],
      jobs: await handoffNoticeJobs(ctx, tx, ticket, actor, now),
    };
  });
}

export async function requestExtension(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { until: Date | string; reason: string }): Promise<TicketRow> {
  const { until, reason } = parseInput(requestExtensionSchema, input);
  return changeTicket(ctx, actor, ticketId, 'request_extension', (ticket) => {
    if (ticket.extensionRequestedUntil) throw conflict('extension_pending', 'An extension request is already waiting for a decision', '已有延期申请待审批');
    if (ticket.deadline && until <= ticket.deadline) throw invalid('extension_not_later', 'The requested deadline must be later than the current one', '申请的期限必须晚于当前办理期限');
    return { patch: { extensionRequestedUntil: until, extensionReason: reason }, reason, notices: [{ type: 'ticket.extension_requested', audience: headAudience(ticket) }] };
  });
}

/** The head approves (new deadline, new timers, back to handoff if it was being chased) or refuses. */
export async function decideExtension(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { approve: boolean; reason?: string }): Promise<TicketRow> {
  const { approve, reason } = parseInput(decideExtensionSchema, input);
  return changeTicket(ctx, actor, ticketId, approve ? 'approve_extension' : 'refuse_extension', (ticket) => {
    if (!ticket.extensionRequestedUntil) throw conflict('no_extension_request', 'There is no extension request to decide', '没有待审批的延期申请');
    const notices = [{ type: approve ? 'ticket.extension_approved' : 'ticket.extension_refused', audience: handlerAudience(ticket) }];
    const cleared = { extensionRequestedUntil: null, extensionReason: null };
    if (!approve) return { patch: cleared, reason: reason ?? null, notices };
    return { patch: { ...cleared, deadline: ticket.extensionRequestedUntil, chaseLevel: 0 }, reason: reason ?? null, timers: 'replan', notices };
  });
}

/** 督办 by a manager: the ticket moves to chase and its handler and head are told. */
export async function chase(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { reason: string }): Promise<TicketRow> {
  const { reason } = parseInput(chaseSchema, input);
  return changeTicket(ctx, actor, ticketId, 'chase', (ticket) => ({
    reason,
    eventExtra: { manual: true },
    notices: [{ type: 'ticket.chased', audience: handlerAndHead(ticket), data: { reason } }],
  }));
}

/** The handler's reply; the owner relays it to the caller. Timers stop. */
export async function reply(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { text: string }): Promise<TicketRow> {
  const { text } = parseInput(replySchema, input);
  return changeTicket(ctx, actor, ticketId, 'reply', (ticket, _tx, now) => ({
    patch: { feedbackText: text, repliedAt: now, acceptedAt: ticket.acceptedAt ?? now, extensionRequestedUntil: null, extensionReason: null },
    notices: [{ type: 'ticket.replied', audience: ownerAudience(ticket.ownerId) }],
  }));
}

/** A manager voids a ticket with a reason; it is kept and still counts. */
export async function voidTicket(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { reason: string }): Promise<TicketRow> {
  const { reason } = parseInput(voidSchema, input);
  return changeTicket(ctx, actor, ticketId, 'void', () => ({ patch: { voidReason: reason }, reason }));
}

/** Unsatisfied at the return visit: back to the handler with a fresh deadline; the manager is told. */
export async function reopenPlan(ticket: TicketRow, tx: Tx, now: Date) {
  const category = await loadCategory(tx, ticket.category);
  const deadline = computeDeadline({ days: category.deadlineDays, dayKind: category.dayKind }, now, await loadCourtCalendar(tx, ticket.courtId));
  return {
    patch: { deadline, handedOffAt: now, acceptedAt: null, chaseLevel: 0, reopenCount: ticket.reopenCount + 1, feedbackText: null, repliedAt: null, deliveredAt: null },
    timers: 'replan' as const,
    notices: [
      { type: 'ticket.reopened', audience: handlerAudience(ticket), data: { deadline: deadline.toISOString() } },
      { type: 'ticket.reopened', audience: managers, data: { deadline: deadline.toISOString() } },
    ],
  };
}
