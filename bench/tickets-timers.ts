/**
 * Work-order timers benchmark: `BENCH_TIMERS=1000000 npx tsx bench/tickets-timers.ts` (needs PostgreSQL; starts its
 * own redis-server, with the product's memory settings, on a free loopback port and stops it at the end; drops its
 * database).
 *  1. Memory: BENCH_TIMERS pending chase timers, made as the product makes them (timerJob() of tickets/timers.ts,
 *     the relay's job options, queue `tickets-chase`, job `sla`, deterministic ids `sla-<ticket>-v1-<level>`),
 *     added with addBulk for speed; bytes per timer from INFO used_memory, against the same ids stored bare
 *     (ZADD of id by due time, then SET of id → payload) on the same server in the same run; plus a reference
 *     batch under Redis's default hash-max-listpack-value (64).
 *  2. Lateness: real tickets (created and handed off through the service), each given a deadline through the
 *     product's replan path (changeTicket with `timers: 'replan'`, relayed by the outbox relay), fired by the
 *     product's chase worker (applyTimer). Lateness = the job's processedOn (picked up) and finishedOn (change
 *     committed) minus the timer's fire_at. BENCH_SAMPLE deadlines spread over BENCH_WINDOW_S seconds, and a burst
 *     of BENCH_BURST deadlines at the same instant (as every deadline is 23:59:59 China time); each on an empty
 *     Redis (baseline) and with the BENCH_TIMERS timers pending.
 * Writes its section of docs/performance.md.
 */
import { loadavg } from 'node:os';
import { inArray, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { seedCourt } from '../api/testing/fixtures.ts';
import { openDatabase } from '../platform/db/client.ts';
import { EventBus } from '../platform/events.ts';
import { createLogger } from '../platform/logger.ts';
import { createMetrics } from '../platform/metrics.ts';
import { Queues } from '../platform/queues.ts';
import { redisMemorySettings } from '../platform/redis/private-server.ts';
import type { Actor } from '../platform/user-roles.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';
import { changeTicket } from '../tickets/change.ts';
import { relayJobOptions } from '../tickets/outbox.ts';
import { slaTimers } from '../tickets/outbox.sql.ts';
import { jobIds, stageQueues } from '../tickets/queues.ts';
import { createTicketsRuntime, defaultConcurrency } from '../tickets/runtime.ts';
import { seedReferenceData } from '../tickets/seed.ts';
import { timerJob } from '../tickets/timers.ts';
import type { TimerLevel } from '../tickets/vocabulary.ts';
import { startPrivateRedis } from './private-redis.ts';
import { machineLoadNote, quantile, writePerformanceSection } from './write-section.ts';

const machineNote = await machineLoadNote();
const timerCount = Number(process.env.BENCH_TIMERS ?? 1_000_000);
const sample = Number(process.env.BENCH_SAMPLE ?? 2000);
const windowS = Number(process.env.BENCH_WINDOW_S ?? 100);
const burst = Number(process.env.BENCH_BURST ?? 500);
const referenceCount = Math.min(timerCount, 100_000);
const batch = 1000;
const prefix = 'hotline';
const logger = createLogger({ level: 'warn', pretty: false });
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const redisServer = await startPrivateRedis(redisMemorySettings);
const dbName = uniqueName('hotline_tbench');
await adminQuery(`create database ${dbName}`);
const database = await openDatabase({ url: databaseUrl(dbName), poolSize: 10, dataDir: '', logger });
const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
const queues = new Queues(redis, prefix, logger, true, createMetrics());
const bus = new EventBus(redis, prefix, logger);
const runtime = createTicketsRuntime({ db: database.db, queues, events: bus, logger }, { relayPollMs: 200 });
try {
  await database.migrate();
  await seedReferenceData(database.db);
  const court = await seedCourt(database.db);
  const actor = (key: 'operator' | 'department_head'): Actor => ({ userId: court.users[key].id, role: court.users[key].role, courtId: court.courtId, departmentId: court.users[key].departmentId });

  // Timer k: ticket k/3 (tickets handed off over the coming month, deadline 23:59:59 China time), level k%3.
  const levels: TimerLevel[] = ['reminder', 'escalation1', 'escalation2'];
  const dayMs = 24 * 3600_000;
  const firstDeadline = Math.ceil((Date.now() + 2 * dayMs - 16 * 3600_000) / dayMs) * dayMs + 16 * 3600_000 - 1000;
  const timerAt = (k: number) => {
    const ticketIndex = Math.floor(k / 3);
    const ticketId = `b0000000-0000-4000-8000-${ticketIndex.toString(16).padStart(12, '0')}`;
    const level = levels[k % 3]!;
    const deadline = firstDeadline + (ticketIndex % 30) * dayMs;
    const fireAt = new Date(deadline + (level === 'reminder' ? -dayMs : level === 'escalation2' ? dayMs : 0));
    return timerJob({ jobId: jobIds.sla(ticketId, 1, level), ticketId, level, fireAt }, 1);
  };

  // 1a. Baseline: the same ids, bare (a sorted set of id by due time, then one string of payload per id).
  const bare = new Redis(redisServer.url);
  const bareAdd = async (add: (pipe: ReturnType<Redis['pipeline']>, job: ReturnType<typeof timerAt>) => void) => {
    for (let k = 0; k < timerCount; k += batch) {
      const pipe = bare.pipeline();
      for (let j = k; j < Math.min(k + batch, timerCount); j++) add(pipe, timerAt(j));
      await pipe.exec();
    }
  };
  let before = await redisServer.usedMemory();
  await bareAdd((pipe, job) => pipe.zadd('bare:timers', job.runAt!.getTime(), job.jobId));
  const zaddBytes = (await redisServer.usedMemory()) - before;
  await bareAdd((pipe, job) => pipe.set(`bare:${job.jobId}`, JSON.stringify(job.data)));
  const bareBytes = (await redisServer.usedMemory()) - before;
  await bare.flushall();
  bare.disconnect();
  console.log({ zaddPerTimer: zaddBytes / timerCount, barePerTimer: bareBytes / timerCount });

  const chaseQueue = queues.queue(stageQueues.chase);
  /** Timers from..to as the relay adds them (same ids, payloads and options as its queue.add), in bulk. */
  const addTimers = async (from: number, to: number) => {
    for (let k = from; k < to; k += batch) {
      const jobs = [];
      const now = Date.now();
      for (let j = k; j < Math.min(k + batch, to); j++) {
        const job = timerAt(j);
        jobs.push({ name: job.name, data: job.data, opts: { jobId: job.jobId, delay: Math.max(0, job.runAt!.getTime() - now), ...relayJobOptions } });
      }
      await chaseQueue.addBulk(jobs);
      if ((k - from) % 100_000 === 0) console.log(`added ${k - from}`);
    }
  };
  // 1b. Reference: the product's timers under Redis's default hash-max-listpack-value (64), on the empty server.
  await redis.config('SET', 'hash-max-listpack-value', '64');
  before = await redisServer.usedMemory();
  await addTimers(0, referenceCount);
  const defaultBytes = (await redisServer.usedMemory()) - before;
  await redis.flushall();
  await redis.config('SET', 'hash-max-listpack-value', redisMemorySettings[1]!);
  console.log({ defaultPerTimer: defaultBytes / referenceCount });

  runtime.start({ relay: true, workers: true });

  /** `count` real tickets handed off to the judge, then given deadlines spread over `spreadS` seconds. */
  const lateness = async (label: string, count: number, spreadS: number) => {
    const ids: string[] = [];
    const make = async (n: number) => {
      const t = await runtime.service.create(actor('operator'), { summary: `计时样本 ${label} ${n}`, callerNumber: '13800000000' });
      await runtime.service.handOff(actor('operator'), t.id, { handlerUserId: court.users.judge.id });
      ids.push(t.id);
    };
    const setupStarted = Date.now();
    for (let n = 0; n < count; n += 8) await Promise.all(Array.from({ length: Math.min(8, count - n) }, (_, i) => make(n + i)));
    await runtime.relay.drain();
    // The first deadline falls once the replans below have been relayed (estimated from the hand-offs above, which
    // cost about the same). The reminder (24 h before) is then past, so each ticket gets exactly one timer due
    // here (escalation 1, at the deadline) and one a day later.
    const start = Date.now() + 1.5 * (Date.now() - setupStarted) + 3000;
    const head = actor('department_head');
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map((id, j) =>
          changeTicket(runtime.context, head, id, 'approve_extension', () => ({ patch: { deadline: new Date(start + ((i + j) * spreadS * 1000) / count) }, timers: 'replan' })),
        ),
      );
    }
    await runtime.relay.drain();
    const margin = start - Date.now();
    if (margin < 0) throw new Error(`${label}: setting up overran the first deadline by ${-margin} ms; the lateness would include set-up time`);
    const due = await database.db.select().from(slaTimers).where(sql`${inArray(slaTimers.ticketId, ids)} and ${slaTimers.level} = 'escalation1' and ${slaTimers.jobId} like '%-v2-%'`);
    const lastDue = Math.max(...due.map((t) => t.fireAt.getTime()));
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(slaTimers).where(sql`${inArray(slaTimers.jobId, due.map((t) => t.jobId))} and ${slaTimers.status} = 'fired'`);
      if (row!.n === due.length) break;
      if (Date.now() > lastDue + 300_000) throw new Error(`${label}: only ${row!.n} of ${due.length} timers fired 5 minutes after the last was due`);
    }
    const picked: number[] = [];
    const applied: number[] = [];
    let lastFinished = 0;
    for (const t of due) {
      const job = await chaseQueue.getJob(t.jobId);
      picked.push(job!.processedOn! - t.fireAt.getTime());
      applied.push(job!.finishedOn! - t.fireAt.getTime());
      lastFinished = Math.max(lastFinished, job!.finishedOn!);
    }
    const stats = (xs: number[]) => ({ p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: Math.max(...xs) });
    const firstDue = Math.min(...due.map((t) => t.fireAt.getTime()));
    const result = { fired: due.length, picked: stats(picked), applied: stats(applied), perSecond: due.length / Math.max(0.001, (lastFinished - firstDue) / 1000) };
    console.log(label, result);
    return result;
  };

  // 2a. Lateness baseline: the same samples on an otherwise empty Redis.
  const emptySpread = await lateness('empty, spread', sample, windowS);
  const emptyBurst = await lateness('empty, burst', burst, 0);

  // 1c. The product's timers, BENCH_TIMERS of them, with the product's settings.
  before = await redisServer.usedMemory();
  const addStarted = performance.now();
  await addTimers(0, timerCount);
  const addS = (performance.now() - addStarted) / 1000;
  const bullBytes = (await redisServer.usedMemory()) - before;
  const delayed = await chaseQueue.getDelayedCount();
  console.log({ bullPerTimer: bullBytes / timerCount, delayed, addS });

  // 2b. The same samples with every timer above pending.
  const loadedSpread = await lateness('loaded, spread', sample, windowS);
  const loadedBurst = await lateness('loaded, burst', burst, 0);

  const totalUsed = await redisServer.usedMemory();

  const perTimer = bullBytes / timerCount;
  const perDefault = defaultBytes / referenceCount;
  const perBare = bareBytes / timerCount;
  const gib = (bytesPerTimer: number) => ((bytesPerTimer * 1_000_000) / 1024 ** 3).toFixed(2);
  const row = (name: string, r: typeof emptySpread) =>
    `| ${name} | ${r.fired} | ${r.picked.p50} / ${r.picked.p99} / ${r.picked.max} | ${r.applied.p50} / ${r.applied.p99} / ${r.applied.max} | ${r.perSecond.toFixed(0)} |`;
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const loadedName = `${timerCount.toLocaleString('en')} pending`;
  const file = writePerformanceSection(
    'tickets-timers',
    `## Work orders: pending deadline timers in Redis, and how late they fire

\`BENCH_TIMERS=${timerCount} npx tsx bench/tickets-timers.ts\` (${when} UTC, this machine: ${machineNote};
load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; a private redis-server started by the bench with the product's
settings (\`noeviction\`, \`hash-max-listpack-value 256\`), no persistence; PostgreSQL local).

**Memory.** ${timerCount.toLocaleString('en')} pending chase timers (${Math.ceil(timerCount / 3).toLocaleString('en')} tickets × reminder, level 1, level 2), each the
job the outbox relay adds: queue \`tickets-chase\`, name \`sla\`, id \`sla-<ticket uuid>-v1-<level>\`, payload
\`{ticketId, level, deadlineVersion}\`, the relay's job options (retries with backoff, how long finished jobs are kept), delayed until its fire time (added with addBulk
in ${addS.toFixed(0)} s). INFO used_memory before and after, same server, same run:

| stored as | bytes per timer | 1,000,000 timers | BullMQ / this |
|---|---|---|---|
| bare: ZADD id by due time only | ${(zaddBytes / timerCount).toFixed(0)} | ${gib(zaddBytes / timerCount)} GiB | ${(perTimer / (zaddBytes / timerCount)).toFixed(2)}× |
| bare: ZADD + SET id → payload JSON (**baseline**) | ${perBare.toFixed(0)} | ${gib(perBare)} GiB | **${(perTimer / perBare).toFixed(2)}×** |
| **BullMQ delayed job, product settings** | **${perTimer.toFixed(0)}** | **${gib(perTimer)} GiB** | 1× |
| BullMQ delayed job, Redis default \`hash-max-listpack-value 64\` (the first ${referenceCount.toLocaleString('en')}, measured before on the empty server) | ${perDefault.toFixed(0)} | ${gib(perDefault)} GiB | ${(perTimer / perDefault).toFixed(2)}× |

${timerCount === 1_000_000 ? `Measured at 1,000,000 timers: ${mib(bullBytes)} MiB` : `Measured at ${timerCount.toLocaleString('en')} timers (${mib(bullBytes)} MiB); the 1,000,000 column is **extrapolated** linearly`}
(target ≤ 1 GB). The whole server used ${mib(totalUsed)} MiB at the end. With Redis's default settings each job's hash is
a full hashtable (its \`opts\` and \`data\` values exceed 64 bytes), which is why the product now sets
\`hash-max-listpack-value 256\` on its private Redis and in docker-compose.yml (\`platform/redis/private-server.ts\`).

**Lateness.** Real tickets created and handed off through the service, then given deadlines through the product's replan
path (\`changeTicket\` with \`timers: 'replan'\`, the outbox relay), fired by the product's chase worker with its default
settings (${defaultConcurrency.chase} jobs in hand; the timers in hand are applied together, at most ${defaultConcurrency.chaseBatch} per transaction, by
\`applyTimers\`: locks the tickets and the timers, escalates, appends the hash-chained events, writes the notices, whose
\`notify\` jobs run on the queue \`tickets-notify\` with its own worker). Spread: ${sample} deadlines evenly over ${windowS} s (${(sample / Math.max(windowS, 1)).toFixed(0)} per second).
Burst: ${burst} deadlines at the same instant, as happens every night (every deadline is 23:59:59 China time).
Lateness in ms from the timer's \`fire_at\` to the job's \`processedOn\` (picked up) and \`finishedOn\` (change committed);
timers/s = timers applied per second from the first due time to the last commit:

| run | timers | picked up p50 / p99 / max | applied p50 / p99 / max | timers/s |
|---|---|---|---|---|
${row('spread, empty Redis (baseline)', emptySpread)}
${row(`spread, ${loadedName}`, loadedSpread)}
${row('burst, empty Redis (baseline)', emptyBurst)}
${row(`burst, ${loadedName}`, loadedBurst)}

Target: p99 ≤ 1 s with 1,000,000 pending.`,
  );
  console.log(`wrote ${file}`);
} finally {
  await runtime.stop();
  await queues.close();
  await bus.close();
  redis.disconnect();
  await database.close();
  await redisServer.stop();
  await adminQuery(`drop database if exists ${dbName} with (force)`);
}
