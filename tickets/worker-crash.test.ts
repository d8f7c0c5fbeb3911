import { spawn } from 'node:child_process';
import { Worker } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/client.ts';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { testRedisUrl, useRedisPrefix } from '../test/harness/redis.ts';
import { ticketEvents } from './audit.sql.ts';
import { applyTimer } from './jobs.ts';
import { slaTimers } from './outbox.sql.ts';
import { stageQueues, type SlaJob } from './queues.ts';
import { eventually, seedCourt, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from './testing/harness.ts';

let database: Database & { url: string };
let court: Court;
let prefix: string;
let h: TicketsHarness;

beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database);
  prefix = useRedisPrefix();
  // No workers in this process yet: the crashing child takes the first job.
  h = await useTicketsRuntime(database, { prefix, start: { relay: true, workers: false } });
});

function runCrashingWorker(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tickets/testing/crash-worker.ts'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url, REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', () => clearTimeout(guard));
    child.on('exit', (_code, signal) => resolve(`${out.trim().replaceAll('\n', ',')} ${signal ?? ''}`.trim()));
  });
}

describe('a worker killed mid-job', () => {
  it('does not apply its change twice when the job is retried', { timeout: 60_000 }, async () => {
    const ticket = await h.runtime.service.create(court.operator, { summary: '崩溃测试' });
    await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    const [timer] = await database.db.select().from(slaTimers).where(and(eq(slaTimers.ticketId, ticket.id), eq(slaTimers.level, 'escalation1')));
    // Escalation 1 is delayed until the deadline; its time comes now.
    const chase = h.queues.queue<SlaJob>(stageQueues.chase);
    const job = await eventually(() => chase.getJob(timer!.jobId), 5000, 'the timer to be relayed');
    await job.promote();

    expect(await runCrashingWorker(database.url)).toBe('ready,committed SIGKILL');
    // The change is committed; the job is still "active" in Redis, owned by a dead worker.
    const [fired] = await database.db.select().from(slaTimers).where(eq(slaTimers.jobId, timer!.jobId));
    expect(fired!.status).toBe('fired');
    expect(await (await chase.getJob(timer!.jobId))!.getState()).toBe('active');

    // A healthy worker notices the stalled job once the dead one's lock expires, and runs it again.
    const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
    const results: unknown[] = [];
    const worker = new Worker<SlaJob>(stageQueues.chase, async (job) => applyTimer(h.runtime.context, job.id!, job.data), { connection, prefix, stalledInterval: 300 });
    worker.on('completed', (job, result) => job.id === timer!.jobId && results.push(result));
    afterAll(async () => {
      await worker.close();
      connection.disconnect();
    });
    const stalled: string[] = [];
    worker.on('stalled', (id) => stalled.push(id));
    await eventually(() => results.length > 0, 15_000, 'the stalled job to be retried');
    expect(results).toEqual(['already_applied']);
    expect(stalled).toEqual([timer!.jobId]);

    const escalations = await database.db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.action, 'escalate')));
    expect(escalations).toHaveLength(1);
    expect((await h.runtime.service.get(court.manager, ticket.id)).chaseLevel).toBe(1);
  });
});
