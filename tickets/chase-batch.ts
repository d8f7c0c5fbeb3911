import { and, asc, eq, inArray } from 'drizzle-orm';
import { appendEvents, type AppendInput } from './audit.ts';
import { TrailSeal } from './audit-seal.ts';
import { diff, noticeJobs, type Notice, type TicketRow } from './change.ts';
import { systemActor, type TicketContext } from './context.ts';
import type { JobOutcome } from './job-outcome.ts';
import { handlerAndHead, handlerAudience, managers } from './notices.ts';
import { writeOutbox } from './outbox.ts';
import { slaTimers } from './outbox.sql.ts';
import type { SlaJob } from './queues.ts';
import { nextStage, type TicketAction } from './stage-machine.ts';
import { tickets } from './tickets.sql.ts';
import type { TimerLevel, TimerStatus } from './vocabulary.ts';

export interface TimerJobRef {
  jobId: string;
  data: SlaJob;
}

const levelOrder: Record<TimerLevel, number> = { reminder: 0, escalation1: 1, escalation2: 2 };

/** What a due timer does to its ticket: remind the handler, or escalate (level 1: handler and head; 2: managers). */
function timerEffect(ticket: TicketRow, level: TimerLevel): { action: TicketAction; chaseLevel: number; notice: Notice; level?: number } {
  if (level === 'reminder') return { action: 'remind', chaseLevel: ticket.chaseLevel, notice: { type: 'ticket.deadline_near', audience: handlerAudience(ticket) } };
  const n = level === 'escalation1' ? 1 : 2;
  return { action: 'escalate', chaseLevel: Math.max(ticket.chaseLevel, n), level: n, notice: { type: 'ticket.overdue', audience: n === 1 ? handlerAndHead(ticket) : managers, data: { level: n } } };
}

/**
 * Fires due chase timers, many in ONE transaction, with the same effect as one `changeTicket` each: the
 * tickets are locked (in id order, before the court's chain lock, as every command locks them), then their
 * timer rows; a timer applies only while `pending`, of the ticket's current deadline version, and allowed by
 * the stage machine, and is marked `fired` in the same transaction — so a rerun (a worker killed after the
 * commit) finds it fired and changes nothing. A batch costs a fixed handful of round trips and one commit,
 * which is what lets a night's deadlines, all due at 23:59:59, fire together (the court's hash chain
 * otherwise admits one commit at a time). Outcomes are returned in the order of `jobs`.
 */
export async function applyTimers(ctx: TicketContext, jobs: TimerJobRef[]): Promise<JobOutcome[]> {
  if (jobs.length === 0) return [];
  const seal = TrailSeal.of(ctx.seals);
  const outcomes = await ctx.db.transaction(async (tx): Promise<JobOutcome[]> => {
    const now = ctx.clock.now();
    const ticketIds = [...new Set(jobs.map((j) => j.data.ticketId))].sort();
    const locked = await tx.select().from(tickets).where(inArray(tickets.id, ticketIds)).orderBy(asc(tickets.id)).for('update');
    const timerRows = await tx.select().from(slaTimers).where(inArray(slaTimers.jobId, [...new Set(jobs.map((j) => j.jobId))])).for('update');
    const current = new Map(locked.map((t) => [t.id, t]));
    const timers = new Map(timerRows.map((t) => [t.jobId, t]));

    const result = new Map<string, JobOutcome>();
    const settle = new Map<string, TimerStatus>();
    const events: (AppendInput & { ticket: TicketRow; notice: Notice })[] = [];
    // Per ticket in fire order (reminder, level 1, level 2), each seeing the previous one's change.
    const order = [...jobs].sort((a, b) => (a.data.ticketId < b.data.ticketId ? -1 : a.data.ticketId > b.data.ticketId ? 1 : levelOrder[a.data.level] - levelOrder[b.data.level]));
    for (const { jobId, data } of order) {
      if (result.has(jobId)) continue;
      const ticket = current.get(data.ticketId);
      const timer = timers.get(jobId);
      const outcome = ((): JobOutcome => {
        if (!ticket || !timer || timer.ticketId !== ticket.id) return 'stale';
        if (timer.status === 'fired') return 'already_applied';
        if (timer.status === 'cancelled') return 'stale';
        const effect = timerEffect(ticket, data.level);
        const move = nextStage(ticket.stage, effect.action, 'system');
        // Replanned, replied, closed, or (a reminder) already chased by hand: this timer is moot.
        if (ticket.deadlineVersion !== data.deadlineVersion || !move.ok) {
          settle.set(jobId, 'cancelled');
          return 'stale';
        }
        const after: TicketRow = { ...ticket, stage: move.stage, chaseLevel: effect.chaseLevel, updatedAt: now };
        const changed = diff(ticket, after);
        const actor = systemActor(ticket.courtId);
        events.push({
          courtId: ticket.courtId,
          ticketId: ticket.id,
          action: effect.action,
          actorId: actor.userId,
          actorRole: actor.role,
          at: now,
          before: changed.before,
          after: { ...changed.after, timer: jobId, ...(effect.level ? { level: effect.level } : {}) },
          reason: null,
          ticket: after,
          notice: effect.notice,
        });
        current.set(ticket.id, after);
        settle.set(jobId, 'fired');
        return 'applied';
      })();
      result.set(jobId, outcome);
    }

    for (const status of ['fired', 'cancelled'] as const) {
      const ids = [...settle].filter(([, s]) => s === status).map(([id]) => id);
      if (ids.length) await tx.update(slaTimers).set({ status, settledAt: now }).where(and(inArray(slaTimers.jobId, ids), eq(slaTimers.status, 'pending')));
    }
    // Tickets that changed, grouped by their new (stage, chase level): a few updates, not one per ticket.
    const groups = new Map<string, string[]>();
    const unchanged = new Set(locked);
    for (const t of current.values()) {
      if (unchanged.has(t)) continue;
      const key = `${t.stage}/${t.chaseLevel}`;
      groups.set(key, [...(groups.get(key) ?? []), t.id]);
    }
    for (const [key, ids] of groups) {
      const [stage, chaseLevel] = key.split('/') as [TicketRow['stage'], string];
      await tx.update(tickets).set({ stage, chaseLevel: Number(chaseLevel), updatedAt: now }).where(inArray(tickets.id, ids));
    }
    const appended = await appendEvents(tx, events, seal);
    await writeOutbox(tx, events.flatMap((e, i) => noticeJobs(appended[i]!.id, e.ticket, [e.notice])));
    return jobs.map((j) => result.get(j.jobId)!);
  });
  seal?.committed();
  if (outcomes.includes('applied')) ctx.onCommit();
  return outcomes;
}
