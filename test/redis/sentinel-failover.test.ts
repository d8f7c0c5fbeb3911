import { and, eq, isNull } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import type { Hotline } from '../../hotline.ts';
import { outbox, slaTimers } from '../../tickets/outbox.sql.ts';
import { stageQueues } from '../../tickets/queues.ts';
import { getJson } from '../harness/hotline.ts';
import { sentinelAvailable, until, useSentinelSet, type SentinelSet } from '../harness/sentinel.ts';

/**
 * The hotline on Redis Sentinel (two redis-servers, three sentinels): a fail-over during ticket traffic, asked for
 * (SENTINEL FAILOVER) and forced (the master SIGKILLed), loses no ticket transition, no job the outbox relayed and
 * no timer, and the timers still fire; /readyz says it waits for Redis while no master answers, and recovers.
 */
const available = sentinelAvailable();
if (!available) console.warn('test/redis/sentinel-failover.test.ts skipped: redis-server is not installed (sentinels run as redis-server --sentinel)');

describe.skipIf(!available)('Redis Sentinel fail-over under a running hotline', () => {
  let set: SentinelSet;
  let api: Hotline & { prefix: string };
  let court: SeededCourt;
  const cookies = {} as Record<'operator' | 'judge' | 'manager', string>;
  const as = (who: keyof typeof cookies, method: string, path: string, body?: unknown) =>
    call(api.url, method, `/api${path}`, { cookie: cookies[who], ...(body !== undefined ? { body } : {}) });
  /** Every transition the API accepted: ticket id → the actions it answered 2xx to. */
  const accepted = new Map<string, string[]>();

  beforeAll(async () => {
    set = await useSentinelSet('hotline');
    api = await useApi({ REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_MASTER: set.master, HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
    court = await seedCourt(api.deps.db);
    for (const who of ['operator', 'judge', 'manager'] as const) cookies[who] = await signIn(api.url, court.users[who].username);
  }, 60_000);

  /** Registers a ticket and hands it off (its deadline timers go to Redis through the outbox); records what was accepted. */
  async function registerAndHandOff(summary: string): Promise<string> {
    const created = await as('operator', 'POST', '/tickets', { summary, callerNumber: '13800000000' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    accepted.set(id, ['create']);
    const handed = await as('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: court.users.judge.id });
    expect(handed.status).toBe(200);
    accepted.get(id)!.push('hand_off');
    return id;
  }

  /** Tickets registered and handed off back to back until stop() — traffic that runs through a fail-over. */
  function traffic(label: string): { stop(): Promise<number> } {
    let running = true;
    let done = 0;
    const loop = (async () => {
      while (running) {
        await registerAndHandOff(`${label} ${done}`);
        done++;
      }
    })();
    return { stop: async () => ((running = false), await loop, done) };
  }

  /** A direct client on the server the sentinels name as master now. */
  async function onMaster(): Promise<Redis> {
    const client = new Redis({ host: '127.0.0.1', port: await set.masterPort(), lazyConnect: false });
    client.on('error', () => undefined);
    return client;
  }

  /**
   * Nothing lost: every transition the API accepted is in the ticket's trail; the outbox relayed every row; every job
   * it relayed (timers, notices) is on the master the sentinels name now, and every pending timer's job with it.
   */
  async function expectNothingLost(): Promise<void> {
    for (const [id, actions] of accepted) {
      const trail = await as('manager', 'GET', `/tickets/${id}/events`);
      expect(trail.body.map((e: { action: string }) => e.action).slice(0, actions.length)).toEqual(actions);
    }
    const db = api.deps.db;
    await until(async () => (await db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.relayedAt))).length === 0, 15_000, 'the outbox to be relayed');
    const master = await onMaster();
    try {
      const added = await db.select({ queue: outbox.queue, jobId: outbox.jobId }).from(outbox).where(eq(outbox.action, 'add'));
      expect(added.length).toBeGreaterThan(0);
      const missing = [];
      for (const row of added) if (!(await master.exists(`${api.prefix}:${row.queue}:${row.jobId}`))) missing.push(row);
      expect(missing).toEqual([]);
      const pending = await db.select({ jobId: slaTimers.jobId }).from(slaTimers).where(eq(slaTimers.status, 'pending'));
      expect(pending.length).toBeGreaterThanOrEqual(accepted.size);
      for (const { jobId } of pending) expect(await master.zscore(`${api.prefix}:${stageQueues.chase}:delayed`, jobId), jobId).not.toBeNull();
    } finally {
      master.disconnect();
    }
  }

  /** A deadline timer is days away: bring its job forward (as its time coming would) and see the worker apply it. */
  async function expectTimerFires(ticketId: string): Promise<void> {
    const [reminder] = await api.deps.db
      .select({ jobId: slaTimers.jobId })
      .from(slaTimers)
      .where(and(eq(slaTimers.ticketId, ticketId), eq(slaTimers.level, 'reminder'), eq(slaTimers.status, 'pending')));
    expect(reminder).toBeDefined();
    const job = await api.deps.queues.queue(stageQueues.chase).getJob(reminder!.jobId);
    expect(job).toBeDefined();
    await job!.promote();
    await until(async () => (await as('manager', 'GET', `/tickets/${ticketId}/events`)).body.some((e: { action: string }) => e.action === 'remind'), 15_000, `the reminder of ${ticketId} to fire`);
    accepted.get(ticketId)!.push('remind');
  }

  /** The replica online and at the master's offset: what the master has is on it. */
  async function replicasCaughtUp(): Promise<void> {
    const master = await onMaster();
    try {
      await until(async () => {
        const info = await master.info('replication');
        const offset = /master_repl_offset:(\d+)/.exec(info)?.[1];
        const online = info.match(/^slave\d+:.*state=online.*$/gm) ?? [];
        return online.length >= 1 && online.every((line) => line.includes(`offset=${offset},`));
      }, 20_000, 'the replicas to catch up');
    } finally {
      master.disconnect();
    }
  }

  it('SENTINEL FAILOVER during ticket traffic: every transition, relayed job and timer is on the new master, and a timer fires', { timeout: 150_000 }, async () => {
    const before = await registerAndHandOff('before the fail-over');
    const firstMaster = await set.masterPort();
    expect(firstMaster).toBe(set.servers[0]!.port);
    await replicasCaughtUp();

    const load = traffic('during the fail-over');
    await new Promise((r) => setTimeout(r, 300));
    expect(await set.sentinel(0).call('SENTINEL', 'FAILOVER', set.master)).toBe('OK');
    await until(async () => (await set.masterPort()) !== firstMaster, 15_000, 'the sentinels to name the replica master');
    await new Promise((r) => setTimeout(r, 1500)); // traffic goes on against the new master
    expect(await load.stop()).toBeGreaterThan(0);

    const after = await registerAndHandOff('after the fail-over');
    await expectNothingLost();
    await expectTimerFires(before);
    await expectTimerFires(after);
    const ready = await getJson(`${api.url}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: { checks: { redis: { ok: true } } } });
  });

  it('the master killed: /readyz says what it waits for (a master, then a replica), requests keep being accepted, nothing committed meanwhile is lost', { timeout: 150_000 }, async () => {
    await until(async () => (await getJson(`${api.url}/readyz`)).status === 200, 10_000, '/readyz');
    await replicasCaughtUp();
    const oldMaster = await set.masterPort();
    const node = set.servers.find((s) => s.port === oldMaster)!;
    await node.kill();

    const load = traffic('master down');
    const waiting = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await getJson(`${api.url}/readyz`);
        if (r.status === 503) return r;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error('/readyz never reported Redis away');
    })();
    expect(waiting.body.checks.redis.ok).toBe(false);
    expect(waiting.body.checks.redis.error).toMatch(/^waiting for Redis \(the master "hotline" of the sentinels 127\.0\.0\.1:\d+,.*\): connection /);
    expect(waiting.body.checks.database.ok).toBe(true);

    await until(async () => (await set.masterPort()) !== oldMaster, 20_000, 'the sentinels to promote the replica');
    // The promoted replica is master with no replica of its own: min-replicas-to-write keeps it from taking writes
    // that a second failure would lose. The hotline's writes are refused (NOREPLICAS), so its connections keep
    // reconnecting to send them again, and /readyz goes on waiting for Redis: the connection's state, or, caught
    // between two reconnects, the missing replica.
    const lonely = await onMaster();
    expect(await lonely.info('replication')).toMatch(/^min_slaves_good_slaves:0\s*$/m);
    lonely.disconnect();
    for (let i = 0; i < 10; i++) {
      const r = await getJson(`${api.url}/readyz`);
      expect(r.status).toBe(503);
      expect(r.body.checks.redis.error).toMatch(/^waiting for Redis \(the master "hotline" of the sentinels .*\): (connection \w+|the master has no replica in sync)/);
      await new Promise((res) => setTimeout(res, 100));
    }
    await node.restart(); // back, and made a replica of the new master by the sentinels
    await until(async () => (await getJson(`${api.url}/readyz`)).status === 200, 60_000, '/readyz to recover');
    expect(await load.stop()).toBeGreaterThan(0);

    const after = await registerAndHandOff('after the master was killed');
    await expectNothingLost();
    await expectTimerFires(after);
  });
});
