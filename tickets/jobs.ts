import { and, eq, inArray } from 'drizzle-orm';
import { users } from '../platform/directory.sql.ts';
import type { EventBus } from '../platform/events.ts';
import type { Logger } from '../platform/logger.ts';
import type { TicketContext } from './context.ts';
import { applyTimers } from './chase-batch.ts';
import type { JobOutcome } from './job-outcome.ts';
import { deliveries } from './outbox.sql.ts';
import type { CallbackDialer, SmsSender } from './ports.ts';
import type { DeliverJob, NotifyJob, SlaJob } from './queues.ts';
import { dialPhoneDelivery } from './phone/relay.ts';
import { departmentUserIds } from './repository.ts';
import { sendSmsDelivery } from './sms/deliver.ts';
import { handoffNoticeText } from './sms/handoff-notice.ts';
import { feedbackText } from './sms/text.ts';
import { tickets } from './tickets.sql.ts';

/** A chase timer fires: a batch of one (see applyTimers). */
export async function applyTimer(ctx: TicketContext, jobId: string, job: SlaJob): Promise<JobOutcome> {
  const [outcome] = await applyTimers(ctx, [{ jobId, data: job }]);
  return outcome!;
}

/**
 * Sends a delivery: a feedback relay (phone or SMS) or a hand-off notice (SMS). Phone (phone/relay.ts): the
 * relay call is filed with telephony; its recorded result settles the row. SMS (sms/deliver.ts): sent once,
 * kept as 'sent' with the gateway's message id; only a receipt that says delivered moves the ticket on
 * (sms/receipts.ts).
 */
export async function deliverFeedback(ctx: TicketContext, ports: { sms: SmsSender | undefined; dialer: CallbackDialer | undefined }, job: DeliverJob, lastAttempt = false): Promise<JobOutcome> {
  const [delivery] = await ctx.db.select().from(deliveries).where(eq(deliveries.id, job.deliveryId));
  const [ticket] = await ctx.db.select().from(tickets).where(eq(tickets.id, job.ticketId));
  if (!delivery || !ticket) return 'stale';
  if (delivery.channel === 'phone') return dialPhoneDelivery(ctx, ports.dialer, delivery, ticket, lastAttempt);
  if (delivery.status !== 'requested' && delivery.status !== 'sending') return 'already_applied';
  const text = delivery.purpose === 'handoff_notice' ? await handoffNoticeText(ctx.db, ticket) : feedbackText(ticket.number, ticket.feedbackText ?? '');
  return sendSmsDelivery(ctx, ports.sms, delivery, { to: ticket.callerNumber ?? '', text }, lastAttempt);
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
  // Named people all gone (deactivated, a department with no one left) and no role to fall back on: the notice
  // would reach no one, so the court's managers get it, and it is said.
  const namedPeople = (job.audience.userIds?.length ?? 0) + (job.audience.departments?.length ?? 0) > 0;
  let roles = job.audience.roles;
  if (namedPeople && userIds.size === 0 && !roles?.length) {
    roles = ['manager'];
    log.warn({ type: job.type, ticketId: job.ticketId, audience: job.audience }, "no one left to receive this notice: sent to the court's managers");
  }
  await events.publish({
    type: job.type,
    courtId: job.courtId,
    audience: { ...(roles?.length ? { roles } : {}), ...(userIds.size ? { userIds: [...userIds] } : {}) },
    data: { ticketId: job.ticketId, eventId: job.eventId, ...job.data },
  });
  log.debug({ type: job.type, ticketId: job.ticketId }, 'notice sent');
}
