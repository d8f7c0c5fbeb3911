import { and, eq, inArray } from 'drizzle-orm';
import { users } from '../platform/directory.sql.ts';
import type { EventBus } from '../platform/events.ts';
import type { Logger } from '../platform/logger.ts';
import { changeTicket } from './change.ts';
import { systemActor, type TicketContext } from './context.ts';
import { applyTimers } from './chase-batch.ts';
import { deliveries } from './outbox.sql.ts';
import { ownerAudience } from './notices.ts';
import type { CallbackDialer, SmsSender } from './ports.ts';
import type { DeliverJob, NotifyJob, SlaJob } from './queues.ts';
import { departmentUserIds } from './repository.ts';
import { tickets } from './tickets.sql.ts';

export type JobOutcome = 'applied' | 'stale' | 'already_applied' | 'sent' | 'dialled' | 'failed';

/** A chase timer fires: a batch of one (see applyTimers). */
export async function applyTimer(ctx: TicketContext, jobId: string, job: SlaJob): Promise<JobOutcome> {
  const [outcome] = await applyTimers(ctx, [{ jobId, data: job }]);
  return outcome!;
}

/**
 * Relays a reply to the caller. SMS: sent with the delivery id as idempotency key, then the delivery and the
 * ticket's move to callback are committed together (a rerun after a crash finds it sent and stops). Phone: the
 * dialer places the call; the operator records the outcome.
 */
export async function deliverFeedback(ctx: TicketContext, ports: { sms: SmsSender; dialer: CallbackDialer }, job: DeliverJob): Promise<JobOutcome> {
  const [delivery] = await ctx.db.select().from(deliveries).where(eq(deliveries.id, job.deliveryId));
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, job.ticketId));
  if (!delivery || !ticket) return 'stale';
  if (delivery.status !== 'requested') return 'already_applied';
  const number = ticket.callerNumber ?? '';
  if (delivery.channel === 'phone') {
    const result = await ports.dialer.dial({ ticketId: ticket.id, deliveryId: delivery.id, courtId: ticket.courtId, callerNumber: number, purpose: 'feedback' });
    await ctx.db
      .update(deliveries)
      .set({ status: result.placed ? 'sent' : 'failed', detail: result.detail, updatedAt: ctx.clock.now() })
      .where(and(eq(deliveries.id, delivery.id), eq(deliveries.status, 'requested')));
    return result.placed ? 'dialled' : 'failed';
  }
  const text = `【12368】您的来电事项（工单号 ${ticket.number}）答复如下：${ticket.feedbackText ?? ''}`;
  const sent = await ports.sms.send({ to: number, text, idempotencyKey: delivery.id });
  return ctx.db.transaction(async (tx): Promise<JobOutcome> => {
    const now = ctx.clock.now();
    const claimed = await tx
      .update(deliveries)
      .set({ status: sent.accepted ? 'delivered' : 'failed', detail: sent.detail, updatedAt: now })
      .where(and(eq(deliveries.id, delivery.id), eq(deliveries.status, 'requested')))
      .returning();
    if (claimed.length === 0) return 'already_applied';
    const [current] = await tx.select({ stage: tickets.stage }).from(tickets).where(eq(tickets.id, ticket.id));
    if (sent.accepted && current?.stage === 'feedback') {
      await changeTicket(ctx, systemActor(ticket.courtId), ticket.id, 'record_delivery', () => ({
        patch: { deliveredAt: now, deliveryChannel: 'sms' },
        eventExtra: { deliveryId: delivery.id },
        notices: [{ type: 'ticket.callback_due', audience: ownerAudience(ticket.ownerId) }],
      }), tx);
    }
    return sent.accepted ? 'sent' : 'failed';
  }).finally(() => ctx.onCommit());
}

/** Publishes a notice to the consoles, resolving department audiences to their members. */
export async function sendNotice(ctx: TicketContext, events: EventBus, job: NotifyJob, log: Logger): Promise<void> {
  const userIds = new Set(job.audience.userIds ?? []);
  for (const d of job.audience.departments ?? []) for (const id of await departmentUserIds(ctx.db, d.id, d.roles)) userIds.add(id);
  if (userIds.size > 0) {
    // Only active users of the ticket's court receive it.
    const rows = await ctx.db.select({ id: users.id }).from(users).where(and(inArray(users.id, [...userIds]), eq(users.courtId, job.courtId), eq(users.active, true)));
    userIds.clear();
    for (const r of rows) userIds.add(r.id);
  }
  await events.publish({
    type: job.type,
    courtId: job.courtId,
    audience: { ...(job.audience.roles ? { roles: job.audience.roles } : {}), ...(userIds.size ? { userIds: [...userIds] } : {}) },
    data: { ticketId: job.ticketId, eventId: job.eventId, ...job.data },
  });
  log.debug({ type: job.type, ticketId: job.ticketId }, 'notice sent');
}
