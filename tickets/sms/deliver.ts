import { and, eq, sql } from 'drizzle-orm';
import type { TicketContext } from '../context.ts';
import { deliveries } from '../outbox.sql.ts';
import { SmsNotSent, type SmsSender } from '../ports.ts';
import { recordSent, settleDelivery } from './receipts.ts';
import { maskGatewayText, smsLogFields } from './text.ts';

type Delivery = typeof deliveries.$inferSelect;

export type SmsOutcome = 'sent' | 'failed' | 'already_applied';

/** Fails a delivery in `from` (with its notice to the owner), in a transaction of its own. */
async function fail(ctx: TicketContext, delivery: Delivery, from: 'requested' | 'sending', detail: string): Promise<SmsOutcome> {
  await ctx.db.transaction((tx) => settleDelivery(ctx, tx, delivery, from, false, detail)).finally(() => ctx.onCommit());
  return 'failed';
}

/**
 * Sends one SMS delivery, never twice: the row is claimed ('sending') and committed before the gateway is
 * asked. A message that certainly did not reach the gateway goes back to 'requested' and the job is retried
 * (the error is rethrown); on the job's last attempt it fails. A rerun that finds the row still 'sending' (the
 * process died between the gateway's answer and the commit) sends again only through a gateway that drops
 * duplicates by key (HTTPS, keyed by the delivery id); through SMPP it is failed instead, so the caller is
 * never texted twice. Accepted: 'sent' with the gateway's message id; the receipt settles it (receipts.ts).
 */
export async function sendSmsDelivery(
  ctx: TicketContext,
  sms: SmsSender | undefined,
  delivery: Delivery,
  message: { to: string; text: string },
  lastAttempt: boolean,
): Promise<SmsOutcome> {
  if (!sms || !ctx.sms) return fail(ctx, delivery, delivery.status === 'sending' ? 'sending' : 'requested', 'no SMS gateway configured');
  const log = ctx.logger.child({ deliveryId: delivery.id, ticketId: delivery.ticketId, gateway: sms.name });
  const claim = (from: 'requested' | 'sending') =>
    ctx.db
      .update(deliveries)
      .set({ status: 'sending', sendAttempts: sql`${deliveries.sendAttempts} + 1`, updatedAt: ctx.clock.now() })
      .where(and(eq(deliveries.id, delivery.id), eq(deliveries.status, from)))
      .returning();
  let [row] = await claim('requested');
  if (!row) {
    const [current] = await ctx.db.select().from(deliveries).where(eq(deliveries.id, delivery.id));
    if (current?.status !== 'sending') return 'already_applied';
    if (!sms.idempotent) {
      log.warn('SMS found half-sent after a restart: not sent again (the gateway cannot drop a duplicate)');
      return fail(ctx, current, 'sending', 'outcome unknown after a restart; not sent again so the caller is never texted twice');
    }
    [row] = await claim('sending');
    if (!row) return 'already_applied';
  }
  const text = { to: message.to, text: message.text, idempotencyKey: delivery.id };
  let result;
  try {
    result = await sms.send(text);
  } catch (err) {
    const reason = maskGatewayText((err as Error).message);
    if (err instanceof SmsNotSent) {
      if (lastAttempt) return fail(ctx, row, 'sending', `gateway unreachable, gave up: ${reason}`);
      await ctx.db.update(deliveries).set({ status: 'requested', detail: `not sent, will retry: ${reason}`, updatedAt: ctx.clock.now() }).where(and(eq(deliveries.id, row.id), eq(deliveries.status, 'sending')));
      log.warn({ ...smsLogFields(text), err: reason }, 'SMS gateway unreachable: the send is retried');
      throw err;
    }
    if (sms.idempotent && !lastAttempt) {
      log.warn({ ...smsLogFields(text), err: reason }, 'SMS send failed; retried with the same key (the gateway drops a duplicate)');
      throw err;
    }
    log.error({ ...smsLogFields(text), err: reason }, 'SMS send failed with an unknown outcome: not sent again');
    return fail(ctx, row, 'sending', `outcome unknown: ${reason}`);
  }
  if (!result.accepted) {
    log.warn({ ...smsLogFields(text), detail: maskGatewayText(result.detail) }, 'SMS refused by the gateway');
    return fail(ctx, row, 'sending', `refused by the gateway: ${maskGatewayText(result.detail)}`);
  }
  const recorded = await recordSent(ctx, row, result.messageId, maskGatewayText(result.detail), ctx.sms.receiptTimeoutMs);
  if (!recorded.recorded) {
    // The caller may well have it, but the relay was already settled (or its row is gone): never counted as
    // delivered, and said loudly so that someone checks with the caller.
    log.error({ ...smsLogFields(text), messageId: result.messageId, status: recorded.status }, 'SMS accepted by the gateway after its delivery was settled: not counted as delivered; check with the caller');
    return 'already_applied';
  }
  log.info({ ...smsLogFields(text), messageId: result.messageId }, 'SMS accepted by the gateway; waiting for its receipt');
  return 'sent';
}
