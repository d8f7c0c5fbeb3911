import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../audit.ts';
import { changeTicket } from '../change.ts';
import { systemActor, type TicketContext } from '../context.ts';
import { ownerAudience } from '../notices.ts';
import { writeOutbox } from '../outbox.ts';
import { deliveries, type DeliveryStatus } from '../outbox.sql.ts';
import type { SmsReceipt } from '../ports.ts';
import { deliveryQueue, jobIds, jobNames, noticeQueue, type NotifyJob, type SmsTimeoutJob } from '../queues.ts';
import { tickets } from '../tickets.sql.ts';
import type { DeliveryChannel } from '../vocabulary.ts';
import { smsReceipts } from './sms.sql.ts';

type Delivery = typeof deliveries.$inferSelect;

/** Serialises everything about one gateway message id (its receipt and the recording of its send). */
const lockMessage = (tx: Tx, messageId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sms:${messageId}`}))`);

/**
 * Settles a delivery that is in `from`: delivered (a feedback relay then moves its ticket to the return visit,
 * 回访, through `record_delivery`) or failed (the ticket stays in 反馈 and its owner is told). False when the
 * row was no longer in `from` (settled already). SMS by its receipt; phone by its relay call (tickets/phone/).
 */
export async function settleDelivery(ctx: TicketContext, tx: Tx, delivery: Delivery, from: DeliveryStatus, delivered: boolean, detail: string): Promise<boolean> {
  const now = ctx.clock.now();
  const settled = await tx
    .update(deliveries)
    .set({ status: delivered ? 'delivered' : 'failed', detail, settledAt: now, updatedAt: now })
    .where(and(eq(deliveries.id, delivery.id), eq(deliveries.status, from)))
    .returning({ id: deliveries.id });
  if (settled.length === 0) return false;
  const [ticket] = await tx.select({ stage: tickets.stage, ownerId: tickets.ownerId, courtId: tickets.courtId }).from(tickets).where(eq(tickets.id, delivery.ticketId));
  if (!ticket) return true;
  if (delivered && delivery.purpose === 'feedback' && ticket.stage === 'feedback') {
    // The evidence in the event: the gateway's message id (SMS), or the relay call (phone, tickets/phone/).
    const evidence = delivery.channel === 'sms' ? { gatewayMessageId: delivery.gatewayMessageId ?? '' } : { outboundId: delivery.outboundId ?? '' };
    await changeTicket(ctx, systemActor(ticket.courtId), delivery.ticketId, 'record_delivery', () => ({
      patch: { deliveredAt: now, deliveryChannel: delivery.channel as DeliveryChannel },
      eventExtra: { deliveryId: delivery.id, ...evidence },
      notices: [{ type: 'ticket.callback_due', audience: ownerAudience(ticket.ownerId) }],
    }), tx);
  }
  if (!delivered) {
    const notice: NotifyJob = {
      eventId: 0,
      ticketId: delivery.ticketId,
      courtId: ticket.courtId,
      type: delivery.purpose === 'feedback' ? 'ticket.relay_failed' : 'ticket.handoff_notice_failed',
      audience: ownerAudience(ticket.ownerId),
      data: { deliveryId: delivery.id, channel: delivery.channel, detail },
    };
    await writeOutbox(tx, [{ queue: noticeQueue, name: jobNames.notify, jobId: jobIds.deliveryNotice(delivery.id), data: notice }]);
  }
  return true;
}

/**
 * The gateway accepted the message: the row becomes 'sent' with the gateway's id, the receipt timeout is
 * scheduled, and a receipt that came before this commit is applied now.
 */
export async function recordSent(ctx: TicketContext, delivery: Delivery, messageId: string, detail: string, receiptTimeoutMs: number): Promise<{ recorded: true } | { recorded: false; status: string }> {
  return ctx.db
    .transaction(async (tx) => {
      await lockMessage(tx, messageId);
      const now = ctx.clock.now();
      const [sent] = await tx
        .update(deliveries)
        .set({ status: 'sent', gatewayMessageId: messageId, detail, sentAt: now, updatedAt: now })
        .where(and(eq(deliveries.id, delivery.id), eq(deliveries.status, 'sending')))
        .returning();
      if (!sent) {
        // Settled meanwhile (a stalled job's rerun failed it as "outcome unknown"), yet the gateway took it: the
        // message id stays on the row, so its receipt is matched and kept (not applied: the row is settled).
        const [kept] = await tx
          .update(deliveries)
          .set({ gatewayMessageId: messageId, updatedAt: now })
          .where(and(eq(deliveries.id, delivery.id), isNull(deliveries.gatewayMessageId)))
          .returning({ status: deliveries.status });
        const status = kept?.status ?? (await tx.select({ status: deliveries.status }).from(deliveries).where(eq(deliveries.id, delivery.id)))[0]?.status ?? 'missing';
        return { recorded: false as const, status };
      }
      const timeout: SmsTimeoutJob = { ticketId: delivery.ticketId, deliveryId: delivery.id };
      await writeOutbox(tx, [{ queue: deliveryQueue(sent.purpose), name: jobNames.smsTimeout, jobId: jobIds.smsTimeout(delivery.id), data: timeout, runAt: new Date(now.getTime() + receiptTimeoutMs) }]);
      const [early] = await tx.select().from(smsReceipts).where(and(eq(smsReceipts.messageId, messageId), isNull(smsReceipts.appliedAt)));
      if (early) {
        await settleDelivery(ctx, tx, sent, 'sent', early.delivered, early.detail ?? early.state);
        await tx.update(smsReceipts).set({ appliedAt: now }).where(eq(smsReceipts.messageId, messageId));
      }
      return { recorded: true as const };
    })
    .finally(() => ctx.onCommit());
}

/**
 * A delivery receipt from the gateway: kept, then applied to the delivery that carries its message id. A
 * repeated receipt changes nothing; one for a row already settled (by the timeout) is kept and not applied.
 */
export async function applyReceipt(ctx: TicketContext, receipt: SmsReceipt): Promise<'applied' | 'already_applied' | 'unmatched'> {
  return ctx.db
    .transaction(async (tx) => {
      await lockMessage(tx, receipt.messageId);
      const now = ctx.clock.now();
      await tx
        .insert(smsReceipts)
        .values({ messageId: receipt.messageId, state: receipt.state.slice(0, 24), delivered: receipt.delivered, detail: receipt.detail.slice(0, 500), receivedAt: now })
        .onConflictDoNothing();
      const [delivery] = await tx.select().from(deliveries).where(and(eq(deliveries.channel, 'sms'), eq(deliveries.gatewayMessageId, receipt.messageId))).for('update');
      if (!delivery) return 'unmatched' as const;
      const [stored] = await tx.select().from(smsReceipts).where(eq(smsReceipts.messageId, receipt.messageId));
      if (stored!.appliedAt) return 'already_applied' as const;
      if (!(await settleDelivery(ctx, tx, delivery, 'sent', stored!.delivered, stored!.detail ?? stored!.state))) return 'already_applied' as const;
      await tx.update(smsReceipts).set({ appliedAt: now }).where(eq(smsReceipts.messageId, receipt.messageId));
      return 'applied' as const;
    })
    .finally(() => ctx.onCommit());
}

/** The receipt timeout: a delivery still only 'sent' has failed (no receipt within the configured time). */
export async function expireDelivery(ctx: TicketContext, job: SmsTimeoutJob): Promise<'failed' | 'stale'> {
  return ctx.db
    .transaction(async (tx) => {
      const [delivery] = await tx.select().from(deliveries).where(eq(deliveries.id, job.deliveryId)).for('update');
      if (!delivery || delivery.status !== 'sent') return 'stale' as const;
      const seconds = Math.round((ctx.sms?.receiptTimeoutMs ?? 0) / 1000);
      return (await settleDelivery(ctx, tx, delivery, 'sent', false, `no delivery receipt within ${seconds} s`)) ? ('failed' as const) : ('stale' as const);
    })
    .finally(() => ctx.onCommit());
}
