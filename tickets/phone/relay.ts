import { and, eq, inArray, or } from 'drizzle-orm';
import { users } from '../../platform/directory.sql.ts';
import { withTimeout } from '../../platform/timeout.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { Tx } from '../audit.ts';
import { changeTicket, type TicketRow } from '../change.ts';
import type { TicketActor, TicketContext } from '../context.ts';
import { ownerAudience } from '../notices.ts';
import { deliveries } from '../outbox.sql.ts';
import type { CallbackDialer } from '../ports.ts';
import { settleDelivery } from '../sms/receipts.ts';
import { tickets } from '../tickets.sql.ts';
import { checkPhoneProof, type PhoneProof } from './rules.ts';

type Delivery = typeof deliveries.$inferSelect;

/** What telephony reports when a relay call (an outbound request with purpose relay) is over. */
export interface PhoneRelayResult {
  courtId: string;
  ticketId: string;
  outboundId: string;
  /** The delivery the tickets capability filed the call for; null when the operator called back from the console. */
  deliveryId: string | null;
  /** Who asked for the call. */
  operatorId: string;
  /** The caller answered and was bridged to the operator (outbound result `connected`). */
  connected: boolean;
  /** Why it failed, or how it ended. */
  detail: string;
}

export type PhoneRelayOutcome = 'delivered' | 'failed' | 'already_applied' | 'stale';

/** Whether a phone relay of the ticket is under way (filed, its call not yet over). */
export async function phoneRelayPending(tx: Tx, ticketId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.ticketId, ticketId), eq(deliveries.purpose, 'feedback'), eq(deliveries.channel, 'phone'), inArray(deliveries.status, ['requested', 'sent'])))
    .limit(1);
  return rows.length > 0;
}

/** Fails a phone delivery still in `from`, with its notice to the ticket's owner. */
async function fail(ctx: TicketContext, delivery: Delivery, from: 'requested' | 'sent', detail: string): Promise<'failed'> {
  await ctx.db.transaction((tx) => settleDelivery(ctx, tx, delivery, from, false, detail)).finally(() => ctx.onCommit());
  return 'failed';
}

/**
 * The feedback worker's phone delivery: files the relay call through telephony, as the user who asked for it.
 * Filed: the row is 'sent' with the call's id, and the call's recorded result settles it (recordPhoneRelay).
 * Refused (no softphone, operator busy, no telephony): the delivery fails with telephony's reason and the
 * owner is told. Telephony away: the job is retried, and on its last attempt the delivery fails.
 */
export async function dialPhoneDelivery(ctx: TicketContext, dialer: CallbackDialer | undefined, delivery: Delivery, ticket: TicketRow, lastAttempt: boolean): Promise<'dialled' | 'failed' | 'already_applied'> {
  if (delivery.status !== 'requested') return 'already_applied';
  if (!dialer) return fail(ctx, delivery, 'requested', '本部署未启用电话回拨，无法电话转告 / no telephony dialer in this deployment: the reply cannot be relayed by phone');
  const requestedBy = await personOf(ctx, delivery.actorId, ticket.courtId);
  if (!requestedBy) return fail(ctx, delivery, 'requested', '发起转告的用户已停用 / the user who asked for the relay is no longer active');
  let filed;
  try {
    // Safe to ask again after a timeout: telephony files one call per delivery.
    filed = await withTimeout(dialer.dial({ ticketId: ticket.id, deliveryId: delivery.id, courtId: ticket.courtId, requestedBy }), 15_000);
  } catch (err) {
    if (!lastAttempt) throw err;
    return fail(ctx, delivery, 'requested', `电话回拨不可用，已放弃 / telephony unavailable, gave up: ${(err as Error).message}`);
  }
  if (!filed.placed) return fail(ctx, delivery, 'requested', filed.detail);
  const now = ctx.clock.now();
  // Where the call already ended and settled the row, this finds it no longer 'requested' and leaves it.
  await ctx.db
    .update(deliveries)
    .set({ status: 'sent', outboundId: filed.outboundId, detail: filed.detail, sentAt: now, updatedAt: now })
    .where(and(eq(deliveries.id, delivery.id), eq(deliveries.status, 'requested')));
  ctx.logger.info({ deliveryId: delivery.id, ticketId: ticket.id, outboundId: filed.outboundId }, 'phone relay filed with telephony');
  return 'dialled';
}

/** The signed-in person behind a delivery, as an actor of the ticket's court; null when no longer active there. */
async function personOf(ctx: TicketContext, userId: string, courtId: string): Promise<Actor | null> {
  const [user] = await ctx.db
    .select({ id: users.id, role: users.role, courtId: users.courtId, departmentId: users.departmentId })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.courtId, courtId), eq(users.active, true)));
  return user ? { userId: user.id, role: user.role, courtId: user.courtId, departmentId: user.departmentId } : null;
}

/**
 * Telephony's report of a relay call that is over: connected (the caller answered and was bridged to the
 * operator) records the delivery and moves the ticket to the return visit (回访), as the system, with the call
 * as evidence; anything else fails the delivery with the reason (the ticket stays in 反馈, in its owner's
 * queue). A call filed by the feedback worker settles its own row; one placed from the console gets a row
 * now. Idempotent: a second report of the same call finds the row settled and changes nothing. A "connected"
 * report is checked against telephony's records like one typed in by hand.
 */
export async function recordPhoneRelay(ctx: TicketContext, input: PhoneRelayResult): Promise<PhoneRelayOutcome> {
  const [ticket] = await ctx.db.select().from(tickets).where(and(eq(tickets.id, input.ticketId), eq(tickets.courtId, input.courtId)));
  if (!ticket) return 'stale';
  if (input.connected) await checkPhoneProof(ctx, ticket, { outboundId: input.outboundId });
  return ctx.db
    .transaction(async (tx) => {
      const now = ctx.clock.now();
      const byCall = eq(deliveries.outboundId, input.outboundId);
      const [found] = await tx
        .select()
        .from(deliveries)
        .where(input.deliveryId ? or(byCall, eq(deliveries.id, input.deliveryId)) : byCall)
        .for('update');
      if (found && found.ticketId !== ticket.id) return 'stale' as const;
      if (found && found.status !== 'requested' && found.status !== 'sent') return 'already_applied' as const;
      let row: Delivery;
      if (found) {
        [row] = (await tx.update(deliveries).set({ outboundId: input.outboundId, updatedAt: now }).where(eq(deliveries.id, found.id)).returning()) as [Delivery];
      } else {
        [row] = (await tx
          .insert(deliveries)
          .values({ ticketId: ticket.id, channel: 'phone', status: 'sent', outboundId: input.outboundId, actorId: input.operatorId, sentAt: now, createdAt: now, updatedAt: now })
          .returning()) as [Delivery];
      }
      await settleDelivery(ctx, tx, row, row.status as 'requested' | 'sent', input.connected, input.detail);
      return input.connected ? ('delivered' as const) : ('failed' as const);
    })
    .finally(() => ctx.onCommit());
}

/**
 * A phone delivery recorded by hand, with its proof checked (rules.ts): the delivery row keeps the proof and the
 * ticket moves to the return visit as the person who recorded it. A relay call named here settles that call's
 * own row, so its later report finds it done.
 */
export async function recordPhoneDeliveryByHand(ctx: TicketContext, actor: TicketActor, ticketId: string, proof: PhoneProof, note: string | null): Promise<TicketRow> {
  return changeTicket(ctx, actor, ticketId, 'record_delivery', async (ticket, tx, now) => {
    const checked = await checkPhoneProof(ctx, ticket, proof);
    const outboundId = 'outboundId' in checked ? checked.outboundId : null;
    const callId = 'callId' in checked ? checked.callId : null;
    const settled = { status: 'delivered' as const, detail: note, settledAt: now, updatedAt: now };
    const [existing] = outboundId ? await tx.select().from(deliveries).where(eq(deliveries.outboundId, outboundId)).for('update') : [];
    let deliveryId: string;
    if (existing) {
      await tx.update(deliveries).set(settled).where(eq(deliveries.id, existing.id));
      deliveryId = existing.id;
    } else {
      const [row] = await tx
        .insert(deliveries)
        .values({ ticketId: ticket.id, channel: 'phone', outboundId, callId, actorId: actor.userId, sentAt: now, createdAt: now, ...settled })
        .returning({ id: deliveries.id });
      deliveryId = row!.id;
    }
    return {
      patch: { deliveredAt: now, deliveryChannel: 'phone' },
      reason: note,
      eventExtra: { deliveryId, ...(outboundId ? { outboundId } : { callId: callId! }) },
      notices: [{ type: 'ticket.callback_due', audience: ownerAudience(ticket.ownerId) }],
    };
  });
}
