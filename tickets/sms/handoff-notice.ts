import { eq } from 'drizzle-orm';
import { departments, users } from '../../platform/directory.sql.ts';
import type { Db } from '../../platform/db/client.ts';
import type { Tx } from '../audit.ts';
import type { TicketRow } from '../change.ts';
import type { TicketActor, TicketContext } from '../context.ts';
import type { OutboxJob } from '../outbox.ts';
import { deliveries } from '../outbox.sql.ts';
import { deliveryQueue, jobIds, jobNames, type DeliverJob } from '../queues.ts';
import { courtSmsSettings } from './settings.ts';
import { handoffText } from './text.ts';

/**
 * 首问负责 (seed 001 §4.1): at hand-off the caller is texted the ticket number, who handles it and by when.
 * Written in the hand-off's transaction (a delivery row and its job), when a gateway is configured, the
 * ticket has a caller number and the court has not turned the notice off. It goes through the same sender
 * and receipts as a relay, and never counts as a feedback delivery.
 */
export async function handoffNoticeJobs(ctx: TicketContext, tx: Tx, ticket: TicketRow, actor: TicketActor, now: Date): Promise<OutboxJob[]> {
  if (!ctx.sms || !ticket.callerNumber) return [];
  if (!(await courtSmsSettings(tx, ticket.courtId)).handoffNotice) return [];
  const [delivery] = await tx
    .insert(deliveries)
    .values({ ticketId: ticket.id, purpose: 'handoff_notice', channel: 'sms', status: 'requested', actorId: actor.userId, createdAt: now, updatedAt: now })
    .returning({ id: deliveries.id });
  const data: DeliverJob = { ticketId: ticket.id, deliveryId: delivery!.id };
  return [{ queue: deliveryQueue('handoff_notice'), name: jobNames.deliver, jobId: jobIds.deliver(delivery!.id), data }];
}

/** The notice's text, from the ticket as it is when sent: the judge's name, or the department's. */
export async function handoffNoticeText(db: Db, ticket: TicketRow): Promise<string> {
  let handler = '承办部门';
  if (ticket.handlerUserId) {
    const [user] = await db.select({ name: users.displayName, departmentId: users.departmentId }).from(users).where(eq(users.id, ticket.handlerUserId));
    const [dept] = user?.departmentId ? await db.select({ name: departments.name }).from(departments).where(eq(departments.id, user.departmentId)) : [];
    if (user) handler = `${dept ? `${dept.name}` : ''}${user.name}法官`;
  } else if (ticket.handlerDepartmentId) {
    const [dept] = await db.select({ name: departments.name }).from(departments).where(eq(departments.id, ticket.handlerDepartmentId));
    if (dept) handler = dept.name;
  }
  return handoffText(ticket.number, handler, ticket.deadline);
}
