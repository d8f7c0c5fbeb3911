import { eq, getTableColumns } from 'drizzle-orm';
import { appendEvent, nextEventIdSql, type JsonObject, type Tx } from './audit.ts';
import { TrailSeal } from './audit-seal.ts';
import { authorize } from './authorize.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { notFound } from './errors.ts';
import { writeOutbox, type OutboxJob } from './outbox.ts';
import { jobIds, jobNames, noticeQueue, type NotifyJob } from './queues.ts';
import { mustTransition, type TicketAction } from './stage-machine.ts';
import { tickets } from './tickets.sql.ts';
import { cancelTimers, scheduleTimers } from './timers.ts';
import type { Stage } from './vocabulary.ts';

export type TicketRow = typeof tickets.$inferSelect;
export type TicketPatch = Partial<Omit<typeof tickets.$inferInsert, 'id' | 'number' | 'courtId' | 'createdAt' | 'stage'>>;

/** A realtime notice, sent through the notice queue after the change commits. */
export interface Notice {
  type: string;
  audience: NotifyJob['audience'];
  data?: Record<string, unknown>;
}

/** What a command decides once it has the locked ticket; thrown errors roll everything back. */
export interface ChangePlan {
  patch?: TicketPatch;
  reason?: string | null;
  notices?: Notice[];
  /** Extra jobs written with the change (e.g. a feedback delivery). */
  jobs?: OutboxJob[];
  /** replan: the deadline changed (new timers); the stage machine's target decides cancellation otherwise. */
  timers?: 'replan';
  /** Extra facts for the audit event that are not ticket columns (e.g. a chase note). */
  eventExtra?: JsonObject;
}

const stagesWithTimers: readonly Stage[] = ['handoff', 'chase'];

/**
 * The one way a ticket changes: lock the row, ask the stage machine, check the actor's scope, apply the
 * command's plan, and write the row, its hash-chained event, its timers and its outbox jobs in ONE
 * transaction. Any error leaves everything as it was.
 */
export async function changeTicket(
  ctx: TicketContext,
  actor: TicketActor,
  ticketId: string,
  action: TicketAction,
  plan: (ticket: TicketRow, tx: Tx, now: Date) => Promise<ChangePlan> | ChangePlan,
  outerTx?: Tx,
): Promise<TicketRow> {
  const seal = TrailSeal.of(ctx.seals);
  const run = async (tx: Tx) => {
    const now = ctx.clock.now();
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!ticket || ticket.courtId !== actor.courtId) throw notFound('ticket', ticketId);
    const stage = mustTransition(ticket.stage, action, actor.role);
    authorize(actor, ticket, action);
    const decided = await plan(ticket, tx, now);
    const patch: TicketPatch & { stage: Stage } = { ...decided.patch, stage };
    if (stage === 'closed' || stage === 'void') patch.closedAt = now;

    // Every outbox row of the change, written in one insert, in order (a cancelled timer's removal first).
    const jobs: OutboxJob[] = [];
    const leavingTimers = stagesWithTimers.includes(ticket.stage) && !stagesWithTimers.includes(stage);
    if (decided.timers === 'replan' || leavingTimers) {
      jobs.push(...(await cancelTimers(tx, ticket.id, now)));
    }
    if (decided.timers === 'replan') {
      patch.deadlineVersion = ticket.deadlineVersion + 1;
    }

    // The event's id comes with the update (no extra round trip), so the outbox rows that cite it are written
    // before the court's chain lock, which is then held only for the event's insert and the commit.
    const [returned] = await tx
      .update(tickets)
      .set({ ...patch, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .returning({ ...getTableColumns(tickets), eventId: nextEventIdSql });
    if (!returned) throw notFound('ticket', ticketId);
    const { eventId, ...updated } = returned;
    if (decided.timers === 'replan' && updated.deadline) {
      jobs.push(...(await scheduleTimers(tx, updated, ctx.chase, now)));
    }
    await writeOutbox(tx, [...jobs, ...noticeJobs(eventId, updated, decided.notices), ...(decided.jobs ?? [])]);
    const { before, after } = diff(ticket, updated);
    await appendEvent(tx, {
      id: eventId,
      courtId: ticket.courtId,
      ticketId: ticket.id,
      action,
      actorId: actor.userId,
      actorRole: actor.role,
      at: now,
      before,
      after: { ...after, ...decided.eventExtra },
      reason: decided.reason ?? null,
    }, seal);
    return updated;
  };
  const updated = outerTx ? await run(outerTx) : await ctx.db.transaction(run);
  if (!outerTx) {
    seal?.committed();
    ctx.onCommit();
  }
  return updated;
}

/** The outbox rows of a change's notices; their ids derive from the change's event. */
export function noticeJobs(eventId: number, ticket: Pick<TicketRow, 'id' | 'courtId' | 'number' | 'stage'>, notices: Notice[] = []): OutboxJob[] {
  return notices.map((n, i) => ({
    queue: noticeQueue,
    name: jobNames.notify,
    jobId: jobIds.notify(eventId, i),
    data: { eventId, ticketId: ticket.id, courtId: ticket.courtId, type: n.type, audience: n.audience, data: { number: ticket.number, stage: ticket.stage, ...n.data } } satisfies NotifyJob,
  }));
}

const ignored = new Set(['updatedAt']);

/** The columns that changed, before and after (JSON-safe). */
export function diff(before: TicketRow, after: TicketRow): { before: JsonObject; after: JsonObject } {
  const b: JsonObject = {};
  const a: JsonObject = {};
  for (const key of Object.keys(after) as (keyof TicketRow)[]) {
    if (ignored.has(key)) continue;
    const x = toJson(before[key]);
    const y = toJson(after[key]);
    if (x !== y) {
      b[key] = x;
      a[key] = y;
    }
  }
  return { before: b, after: a };
}

function toJson(value: unknown): string | number | boolean | null {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  return value as string | number | boolean | null;
}

/** Used by creation: the whole new row as the event's "after". */
export function snapshot(row: TicketRow): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(row)) if (!ignored.has(key)) out[key] = toJson(value);
  return out;
}

