import { and, eq, inArray, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/client.ts';
import { ticketEvents } from './audit.sql.ts';
import { verifyChains } from './audit.ts';
import { applyTimers, type TimerJobRef } from './chase-batch.ts';
import { GroupCommit } from './group-commit.ts';
import { outbox, slaTimers } from './outbox.sql.ts';
import { noticeQueue } from './queues.ts';
import { eventually, seedCourt, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from './testing/harness.ts';
import { tickets } from './tickets.sql.ts';

/** The batched chase path, called directly (no worker in this file's runtime) so each case controls what runs together. */
let database: Database;
let court: Court;
let other: Court;
let h: TicketsHarness;

beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database, 'J0811');
  other = await seedCourt(database, 'J0802');
  h = await useTicketsRuntime(database, { start: { relay: false, workers: false } });
  h.clock.set(new Date('2026-03-02T10:00:00+08:00'));
});

/** `n` tickets handed off in a court; returns their level-1 timers as the worker would see them. */
async function dueTimers(where: Court, n: number, level: 'escalation1' | 'reminder' = 'escalation1'): Promise<TimerJobRef[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = await h.runtime.service.create(where.operator, { summary: `批量 ${i}` });
    await h.runtime.service.handOff(where.operator, t.id, { handlerUserId: where.judge.userId });
    ids.push(t.id);
  }
  const rows = await database.db.select().from(slaTimers).where(and(inArray(slaTimers.ticketId, ids), eq(slaTimers.level, level)));
  return rows.map((r) => ({ jobId: r.jobId, data: { ticketId: r.ticketId, level: r.level, deadlineVersion: 1 } }));
}

const eventsOf = (ids: string[], action: string) => database.db.select().from(ticketEvents).where(and(inArray(ticketEvents.ticketId, ids), eq(ticketEvents.action, action)));

describe('due chase timers applied in batches', () => {
  it('applies a batch across two courts in one transaction: one event each, chains intact, notices on their own queue', async () => {
    const jobs = [...(await dueTimers(court, 6)), ...(await dueTimers(other, 4))];
    const outcomes = await applyTimers(h.runtime.context, jobs);
    expect(outcomes).toEqual(Array(10).fill('applied'));

    const ids = jobs.map((j) => j.data.ticketId);
    const rows = await database.db.select().from(tickets).where(inArray(tickets.id, ids));
    expect(rows.every((t) => t.stage === 'chase' && t.chaseLevel === 1)).toBe(true);
    const events = await eventsOf(ids, 'escalate');
    expect(events).toHaveLength(10);
    expect(events.every((e) => e.after.stage === 'chase' && e.after.chaseLevel === 1 && e.after.level === 1 && e.actorRole === 'system')).toBe(true);
    expect(new Set(events.map((e) => e.after.timer))).toEqual(new Set(jobs.map((j) => j.jobId)));
    expect(await verifyChains(database.db)).toMatchObject({ ok: true, courts: 2 });

    const timers = await database.db.select().from(slaTimers).where(inArray(slaTimers.jobId, jobs.map((j) => j.jobId)));
    expect(timers.every((t) => t.status === 'fired')).toBe(true);
    const notices = await database.db.select().from(outbox).where(and(isNull(outbox.relayedAt), eq(outbox.jobName, 'notify'), inArray(outbox.jobId, events.map((e) => `notify-${e.id}-0`))));
    expect(notices).toHaveLength(10);
    expect(notices.every((n) => n.queue === noticeQueue)).toBe(true);
  });

  it('sorts out fired, replaced and moot timers in the same batch, changing only what is due', async () => {
    const [fresh, firedBefore, replaced, replied] = await dueTimers(court, 4);
    await applyTimers(h.runtime.context, [firedBefore!]);
    // An extension replaces the timers of `replaced`: its version-1 job is stale.
    await h.runtime.service.requestExtension(court.judge, replaced!.data.ticketId, { until: new Date('2026-03-20T23:59:59+08:00'), reason: '补充材料' });
    await h.runtime.service.decideExtension(court.head, replaced!.data.ticketId, { approve: true });
    await h.runtime.service.reply(court.judge, replied!.data.ticketId, { text: '已答复' });
    const before = await eventsOf([fresh, firedBefore, replaced, replied].map((j) => j!.data.ticketId), 'escalate');

    const outcomes = await applyTimers(h.runtime.context, [replied!, fresh!, replaced!, firedBefore!]);
    expect(outcomes).toEqual(['stale', 'applied', 'stale', 'already_applied']);
    const after = await eventsOf([fresh, firedBefore, replaced, replied].map((j) => j!.data.ticketId), 'escalate');
    expect(after.length - before.length).toBe(1);
    const status = async (j: TimerJobRef) => (await database.db.select().from(slaTimers).where(eq(slaTimers.jobId, j.jobId)))[0]!.status;
    expect(await status(replaced!)).toBe('cancelled');
    expect(await status(replied!)).toBe('cancelled');
    expect((await h.runtime.service.get(court.manager, replied!.data.ticketId)).stage).toBe('feedback');
    expect(await verifyChains(database.db)).toMatchObject({ ok: true });
  });

  it('a reminder for a ticket a manager already chased by hand is moot, not an error', async () => {
    h.clock.set(new Date('2026-03-02T08:00:00+08:00'));
    const [reminder] = await dueTimers(court, 1, 'reminder');
    h.clock.set(new Date('2026-03-02T10:00:00+08:00'));
    await h.runtime.service.chase(court.manager, reminder!.data.ticketId, { reason: '请尽快办理' });
    expect(await applyTimers(h.runtime.context, [reminder!])).toEqual(['stale']);
  });

  it('overlapping batches (two worker processes) and commands on the same tickets: each timer fires once, no deadlock, chain intact', async () => {
    const jobs = [...(await dueTimers(court, 12)), ...(await dueTimers(other, 12))];
    const shuffled = (seed: number) => [...jobs].sort((a, b) => ((a.jobId.charCodeAt(30) * seed) % 17) - ((b.jobId.charCodeAt(30) * seed) % 17));
    const replies = jobs.flatMap((j, i) => (i % 5 === 0 ? [h.runtime.service.reply(i < 12 ? court.judge : other.judge, j.data.ticketId, { text: '已答复' })] : []));
    const results = await Promise.all([applyTimers(h.runtime.context, shuffled(3)), applyTimers(h.runtime.context, shuffled(7)), applyTimers(h.runtime.context, jobs.slice(6, 18)), ...replies]);
    const ids = jobs.map((j) => j.data.ticketId);
    const escalations = await eventsOf(ids, 'escalate');
    // At most once per timer; every timer is settled (fired, or cancelled because its ticket was replied first).
    expect(new Set(escalations.map((e) => e.after.timer)).size).toBe(escalations.length);
    const timers = await database.db.select().from(slaTimers).where(inArray(slaTimers.jobId, jobs.map((j) => j.jobId)));
    const fired = timers.filter((t) => t.status === 'fired');
    expect(fired.length).toBe(escalations.length);
    expect(timers.filter((t) => t.status === 'pending')).toEqual([]);
    const applied = (results.slice(0, 3) as string[][]).flat().filter((o) => o === 'applied').length;
    expect(applied).toBe(escalations.length);
    expect(await verifyChains(database.db)).toMatchObject({ ok: true });
  });
});

describe('group commit', () => {
  it('puts what arrives while a batch runs into the next batch, and fails a bad item alone', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 20));
      if (items.includes(13)) throw new Error('unlucky');
      return items.map((i) => i * 2);
    }, 4);
    const first = group.submit(1);
    await new Promise((r) => setTimeout(r, 5)); // the first batch is running
    const rest = [2, 3, 13, 4, 5, 6].map((i) => group.submit(i).then((v) => v, (e: Error) => e.message));
    expect(await first).toBe(2);
    expect(await Promise.all(rest)).toEqual([4, 6, 'unlucky', 8, 10, 12]);
    // [1] alone; then up to 4 together ([2,3,13,4] fails and is retried one by one); then [5,6].
    expect(batches).toEqual([[1], [2, 3, 13, 4], [2], [3], [13], [4], [5, 6]]);
  });

  it('is what the chase worker uses: a burst of due timers fires through the real queue', async () => {
    const jobs = await dueTimers(court, 30);
    const chase = await useTicketsRuntime(database, { clock: h.clock, concurrency: { chase: 20, chaseBatch: 8 } });
    await chase.runtime.relay.drain();
    // Promote every one of them now, as midnight does.
    const queue = chase.queues.queue('tickets-chase');
    for (const j of jobs) await (await eventually(() => queue.getJob(j.jobId), 5000, 'relayed'))!.promote();
    await eventually(async () => {
      const rows = await database.db.select().from(slaTimers).where(and(inArray(slaTimers.jobId, jobs.map((j) => j.jobId)), eq(slaTimers.status, 'fired')));
      return rows.length === jobs.length;
    }, 15_000, 'every timer to fire');
    const events = await eventsOf(jobs.map((j) => j.data.ticketId), 'escalate');
    expect(events).toHaveLength(30);
    await eventually(() => chase.events.filter((e) => e.type === 'ticket.overdue' && jobs.some((j) => (e.data as { ticketId: string }).ticketId === j.data.ticketId)).length === 30, 10_000, 'the notices');
  });
});
