import { eq, isNull, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/client.ts';
import { spawnRedis, type SpawnedRedis } from '../test/harness/redis.ts';
import { outbox, slaTimers } from './outbox.sql.ts';
import { stageQueues } from './queues.ts';
import { rebuildTimers } from './rebuild-timers.ts';
import { eventually, seedCourt, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from './testing/harness.ts';

let database: Database;
let court: Court;
let redis: SpawnedRedis;
let h: TicketsHarness;

beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database);
  // A throwaway Redis without persistence: restarting it loses every key, as losing Redis would.
  redis = await spawnRedis();
  h = await useTicketsRuntime(database, { redisUrl: redis.url });
  h.clock.set(new Date('2026-03-02T10:00:00+08:00'));
});

const unrelayed = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.relayedAt)))[0]!.n;

async function handedOffTicket(summary: string) {
  const ticket = await h.runtime.service.create(court.operator, { summary, callerNumber: '13500000000' });
  await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
  return ticket;
}

async function missingTimerJobs(): Promise<string[]> {
  const pending = await database.db.select().from(slaTimers).where(eq(slaTimers.status, 'pending'));
  const queue = h.queues.queue(stageQueues.chase);
  const missing: string[] = [];
  for (const t of pending) if (!(await queue.getJob(t.jobId))) missing.push(t.jobId);
  return missing;
}

describe('outbox relay across a Redis restart', () => {
  it('keeps changes made while Redis is down, relays them when it is back, and the rebuild command restores lost timers', async () => {
    const before = await handedOffTicket('Redis 在线时交办');
    await eventually(async () => (await unrelayed()) === 0, 5000, 'first relay');
    expect(await missingTimerJobs()).toEqual([]);

    await redis.stop();
    // Commands still work: PostgreSQL holds the change and its jobs.
    const during = await handedOffTicket('Redis 停机时交办');
    const replied = await handedOffTicket('Redis 停机时答复');
    await h.runtime.service.reply(court.judge, replied.id, { text: '已答复' });
    await new Promise((r) => setTimeout(r, 2500)); // the relay tries and fails meanwhile
    const waiting = await unrelayed();
    expect(waiting).toBeGreaterThanOrEqual(9);

    await redis.restart(); // empty: every key of the first ticket is gone
    await eventually(async () => (await unrelayed()) === 0, 15_000, 'relay after restart');

    const lost = await missingTimerJobs();
    const pendingOfFirst = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, before.id));
    expect(lost.sort()).toEqual(pendingOfFirst.map((t) => t.jobId).sort()); // only what was in Redis before the loss
    const rebuilt = await rebuildTimers(database.db, h.queues, h.clock);
    expect(rebuilt).toEqual({ pending: 6, added: 3 });
    expect(await missingTimerJobs()).toEqual([]);
    expect(await rebuildTimers(database.db, h.queues, h.clock)).toEqual({ pending: 6, added: 0 }); // idempotent

    // The timers of the replied ticket were cancelled while Redis was down and are not on the queue.
    const cancelled = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, replied.id));
    expect(cancelled.every((t) => t.status === 'cancelled')).toBe(true);
    for (const t of cancelled) expect(await h.queues.queue(stageQueues.chase).getJob(t.jobId)).toBeUndefined();

    // The notice written while Redis was down reaches the handler once it is back.
    await eventually(() => h.events.find((e) => e.type === 'ticket.assigned' && (e.data as { ticketId: string }).ticketId === during.id), 10_000, 'notice after restart');
  });
});
