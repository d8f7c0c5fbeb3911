import { changeTicket, type TicketRow } from './change.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { conflict, invalid } from './errors.ts';
import { reopenPlan } from './handling.ts';
import { managers } from './notices.ts';
import { deliveries } from './outbox.sql.ts';
import { jobIds, jobNames, stageQueues, type DeliverJob } from './queues.ts';
import { parseInput, recordCallbackSchema, recordDeliverySchema, relayFeedbackSchema } from './schemas.ts';
import { recordPhoneDeliveryByHand, phoneRelayPending } from './phone/relay.ts';
import { phoneDeliveryNeedsCall, phoneRelayPending as phoneRelayPendingError } from './phone/rules.ts';
import { handoffNoticeJobs } from './sms/handoff-notice.ts';
import { smsDeliveryByReceipt, smsNotConfigured, smsRelayPending } from './sms/relay-rules.ts';
import type { DeliveryChannel, Satisfaction } from './vocabulary.ts';

/**
 * The operator relays the reply: by SMS (sent by the feedback worker; refused when no gateway is configured,
 * and while an earlier SMS of it awaits its receipt) or by phone (the feedback worker files the relay call with
 * telephony, tickets/phone/relay.ts; refused while an earlier one is under way). Either way the delivery counts
 * only on evidence: the SMS receipt, or the call's recorded result.
 */
export async function relayFeedback(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { channel: DeliveryChannel }): Promise<{ ticket: TicketRow; deliveryId: string }> {
  const { channel } = parseInput(relayFeedbackSchema, input);
  let deliveryId = '';
  const ticket = await changeTicket(ctx, actor, ticketId, 'relay_feedback', async (row, tx, now) => {
    if (channel === 'sms' && !ctx.sms) throw smsNotConfigured();
    if (!row.callerNumber) throw invalid('no_caller_number', 'The ticket has no caller number to reach', '工单没有来电号码，无法反馈');
    if (channel === 'sms' && (await smsRelayPending(tx, row.id))) {
      throw conflict('sms_relay_pending', 'An SMS relay of this reply is still waiting for its delivery receipt', '该答复的短信尚在等待送达回执，请勿重复发送');
    }
    if (channel === 'phone' && (await phoneRelayPending(tx, row.id))) throw phoneRelayPendingError();
    const [delivery] = await tx.insert(deliveries).values({ ticketId: row.id, channel, status: 'requested', actorId: actor.userId, createdAt: now, updatedAt: now }).returning();
    deliveryId = delivery!.id;
    return {
      eventExtra: { deliveryId, channel },
      jobs: [{ queue: stageQueues.feedback, name: jobNames.deliver, jobId: jobIds.deliver(deliveryId), data: { ticketId: row.id, deliveryId } satisfies DeliverJob }],
    };
  });
  return { ticket, deliveryId };
}

/**
 * Records whether the reply reached the caller; delivered moves the ticket to the return visit (回访). Only
 * evidence counts: a delivered SMS is refused here (its receipt records it), and a delivered phone relay must
 * name the recorded call that proves it (tickets/phone/rules.ts); the relay call records itself. "Could not
 * reach" is recorded as said: a failure never counts for anything.
 */
export async function recordDelivery(
  ctx: TicketContext,
  actor: TicketActor,
  ticketId: string,
  input: { channel: DeliveryChannel; delivered: boolean; note?: string; callId?: string; outboundId?: string },
): Promise<TicketRow> {
  const { channel, delivered, note, callId, outboundId } = parseInput(recordDeliverySchema, input);
  if (!delivered) {
    // A failed attempt is an event of its own; the ticket stays in feedback.
    return changeTicket(ctx, actor, ticketId, 'relay_feedback', () => ({ reason: note ?? null, eventExtra: { channel, delivered: false } }));
  }
  const proof = callId ? { callId } : outboundId ? { outboundId } : undefined;
  if (channel === 'sms' || !proof) {
    // Refused after the stage and the actor's rights are checked, so a stranger still gets "not found". An SMS
    // counts as delivered only on the gateway's receipt (tickets/sms/receipts.ts), never by hand.
    return changeTicket(ctx, actor, ticketId, 'record_delivery', () => {
      throw channel === 'sms' ? smsDeliveryByReceipt() : phoneDeliveryNeedsCall();
    });
  }
  return recordPhoneDeliveryByHand(ctx, actor, ticketId, proof, note ?? null);
}

/** The return visit: resolved or not, and satisfaction; unsatisfied reopens the ticket to its handler. */
export async function recordCallback(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { resolved: boolean; satisfaction: Satisfaction; note?: string }): Promise<TicketRow> {
  const { resolved, satisfaction, note } = parseInput(recordCallbackSchema, input);
  const result = { callbackResolved: resolved, satisfaction };
  if (satisfaction === 'unsatisfied') {
    return changeTicket(ctx, actor, ticketId, 'reopen', async (ticket, tx, now) => {
      if (!ticket.handlerDepartmentId) throw invalid('no_handler_to_reopen', 'Answered on the spot: there is no handler to reopen it to; hand it off instead', '该工单当场答复，没有承办人可退回，请重新交办');
      const plan = await reopenPlan(ticket, tx, now);
      // Back to the handler with a new deadline: the caller is told, as at the first hand-off.
      return { ...plan, patch: { ...plan.patch, ...result, callbackAt: now }, reason: note ?? null, jobs: await handoffNoticeJobs(ctx, tx, ticket, actor, now) };
    });
  }
  return changeTicket(ctx, actor, ticketId, 'close_after_callback', (_ticket, _tx, now) => ({
    patch: { ...result, callbackAt: now },
    reason: note ?? null,
    notices: resolved ? [] : [{ type: 'ticket.unresolved', audience: managers }],
  }));
}
