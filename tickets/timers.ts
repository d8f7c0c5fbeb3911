import { and, eq } from 'drizzle-orm';
import type { Tx } from './audit.ts';
import { planChaseTimers, type ChaseSettings } from './deadline.ts';
import type { OutboxJob } from './outbox.ts';
import { slaTimers } from './outbox.sql.ts';
import { jobIds, jobNames, stageQueues, type SlaJob } from './queues.ts';

/** Marks a ticket's pending timers cancelled; returns the outbox rows that take their jobs off Redis. */
export async function cancelTimers(tx: Tx, ticketId: string, now: Date): Promise<OutboxJob[]> {
  const cancelled = await tx
    .update(slaTimers)
    .set({ status: 'cancelled', settledAt: now })
    .where(and(eq(slaTimers.ticketId, ticketId), eq(slaTimers.status, 'pending')))
    .returning({ jobId: slaTimers.jobId });
  return cancelled.map((t) => ({ queue: stageQueues.chase, name: jobNames.sla, jobId: t.jobId, data: {}, action: 'remove' as const }));
}

/** Records the chase timers of a ticket's current deadline; returns the outbox rows that put them on Redis. */
export async function scheduleTimers(tx: Tx, ticket: { id: string; deadline: Date | null; deadlineVersion: number }, settings: ChaseSettings, now: Date): Promise<OutboxJob[]> {
  if (!ticket.deadline) return [];
  const planned = planChaseTimers(ticket.deadline, settings, now).map((t) => ({
    jobId: jobIds.sla(ticket.id, ticket.deadlineVersion, t.level),
    ticketId: ticket.id,
    level: t.level,
    fireAt: t.fireAt,
  }));
  await tx.insert(slaTimers).values(planned);
  return planned.map((t) => timerJob(t, ticket.deadlineVersion));
}

export function timerJob(t: { jobId: string; ticketId: string; level: SlaJob['level']; fireAt: Date }, deadlineVersion: number): OutboxJob {
  return {
    queue: stageQueues.chase,
    name: jobNames.sla,
    jobId: t.jobId,
    data: { ticketId: t.ticketId, level: t.level, deadlineVersion } satisfies SlaJob,
    runAt: t.fireAt,
  };
}
