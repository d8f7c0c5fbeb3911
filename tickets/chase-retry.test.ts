import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { useTcpProxy, type TcpProxy } from '../test/harness/tcp-proxy.ts';
import { slaTimers } from './outbox.sql.ts';
import { stageQueues } from './queues.ts';
import { chinaTime, eventually, seedCourt, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from './testing/harness.ts';

/**
 * A chase timer that falls due while PostgreSQL is unreachable is not lost: its job fails, is retried with a
 * growing delay, and applies once (and only once) when the database is back. The runtime reaches PostgreSQL
 * through a proxy the test cuts; the checks read it directly.
 */
let direct: Database;
let proxy: TcpProxy;
let court: Court;
let h: TicketsHarness;

beforeAll(async () => {
  const database = await useTicketsDatabase();
  direct = database;
  court = await seedCourt(database);
  const url = new URL(database.url);
  proxy = await useTcpProxy(url.hostname, Number(url.port || 5432));
  url.port = String(proxy.port);
  const proxied = await openDatabase({ url: url.toString(), poolSize: 4, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
  afterAll(() => proxied.close().catch(() => undefined));
  h = await useTicketsRuntime(proxied, { chase: { reminderLeadMs: 400, level2AfterMs: 400 } });
  await h.runtime.service.updateCategory(court.admin, 'enquiry', { deadlineDays: 0 });
});

describe('chase timers while PostgreSQL is away', () => {
  it('fail, are retried, and fire once each when it is back', async () => {
    // A Monday, 1.5 s before the end of the China day: same-day deadline at 23:59:59, timers within ~2 s.
    h.clock.set(chinaTime('2026-03-02T23:59:57.500'));
    const ticket = await h.runtime.service.create(court.operator, { summary: '数据库中断时的督办', callerNumber: '13800000000' });
    await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    await h.runtime.relay.drain();
    const timers = await direct.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
    expect(timers).toHaveLength(3);

    await proxy.cut();
    const chase = h.queues.queue(stageQueues.chase);
    // Every timer falls due and its first attempt fails: each job waits for its retry, none is failed for good.
    await eventually(async () => {
      const jobs = await Promise.all(timers.map((t) => chase.getJob(t.jobId)));
      return jobs.every((j) => j && j.attemptsMade >= 1) || undefined;
    }, 10_000, 'a failed first attempt of every timer');
    for (const t of timers) expect(await chase.getJobState(t.jobId)).toMatch(/delayed|waiting|active/);
    expect((await direct.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id))).map((t) => t.status)).toEqual(['pending', 'pending', 'pending']);

    await proxy.restore();
    await eventually(async () => {
      const rows = await direct.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
      return rows.every((t) => t.status === 'fired') || undefined;
    }, 30_000, 'the timers to fire after the database came back');
    const trail = await h.runtime.service.events(court.manager, ticket.id);
    expect(trail.map((e) => e.action)).toEqual(['create', 'hand_off', 'remind', 'escalate', 'escalate']);
    expect(await h.runtime.service.get(court.manager, ticket.id)).toMatchObject({ stage: 'chase', chaseLevel: 2 });
  });
});
