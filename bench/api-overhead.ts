/**
 * API benchmark: `npx tsx bench/api-overhead.ts` (needs PostgreSQL and Redis as for the tests).
 * 1. p99 latency and throughput of GET /api/departments (session auth, role hook, zod-validated
 *    query and response, reads PostgreSQL) against a bare Fastify route running the same drizzle query
 *    on the same pool, in the same run, with autocannon on loopback.
 * 2. Websocket fan-out: one event to 500 connected consoles through the EventBus (Redis pub/sub) and
 *    the hub; delivery latency from publish to receipt, p99 over several events.
 * Writes its section of docs/performance.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import WebSocket from 'ws';
import { seedCourt, sessionCookieFor } from '../api/testing/fixtures.ts';
import { publishEvent } from '../api/realtime/event-catalogue.ts';
import { startHotline } from '../hotline.ts';
import { loadConfig } from '../platform/config/load.ts';
import { openDatabase } from '../platform/db/client.ts';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { departments } from '../platform/directory.sql.ts';
import { createLogger } from '../platform/logger.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';
import { testRedisUrl } from '../test/harness/redis.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const consoles = Number(process.env.BENCH_CONSOLES ?? 500);

const dbName = uniqueName('hotline_bench');
await adminQuery(`create database ${dbName}`);
const url = databaseUrl(dbName);
const migrator = await openDatabase({ url, poolSize: 1, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
await migrator.migrate();
await migrator.close();

const config = loadConfig({
  env: { HOTLINE_PORT: '0', HOTLINE_ROLES: 'api', REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', LOG_LEVEL: 'warn', DATABASE_URL: url, REDIS_PREFIX: uniqueName('bench') },
  cwd: repoRoot,
});
const hotline = await startHotline(config, createLogger({ level: 'warn', pretty: false }));
const bare = Fastify();
try {
  const { db } = hotline.deps;
  const court = await seedCourt(db);
  const cookie = await sessionCookieFor(db, court.users.operator.id);

  bare.get('/bare/departments', async () => db.select().from(departments).where(eq(departments.courtId, court.courtId)).orderBy(departments.name));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

  const load = async (target: string, headers: Record<string, string>) => {
    const result = await autocannon({ url: target, connections, duration: seconds, headers });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { p99: result.latency.p99, p50: result.latency.p50, rps: result.requests.average };
  };
  // Warm both up (JIT, pool, session cache), then measure alternately.
  await autocannon({ url: `${bareUrl}/bare/departments`, connections, duration: 2 });
  await autocannon({ url: `${hotline.url}/api/departments`, connections, duration: 2, headers: { cookie } });
  // Alternate rounds so drift on a shared machine hits both sides alike; report the mean of the rounds.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const bareRuns: Awaited<ReturnType<typeof load>>[] = [];
  const apiRuns: Awaited<ReturnType<typeof load>>[] = [];
  for (let r = 0; r < rounds; r++) {
    bareRuns.push(await load(`${bareUrl}/bare/departments`, {}));
    apiRuns.push(await load(`${hotline.url}/api/departments`, { cookie }));
  }
  const mean = (runs: typeof bareRuns) => ({
    p50: runs.reduce((a, r) => a + r.p50, 0) / runs.length,
    p99: runs.reduce((a, r) => a + r.p99, 0) / runs.length,
    rps: runs.reduce((a, r) => a + r.rps, 0) / runs.length,
  });
  const bareRun = mean(bareRuns);
  const apiRun = mean(apiRuns);
  const latencyRatio = apiRun.p99 / Math.max(bareRun.p99, 1);
  const throughputRatio = bareRun.rps / apiRun.rps;
  console.log({ bareRun, apiRun, latencyRatio, throughputRatio });

  // Fan-out: `consoles` sockets of the court's operators (one session each), then events published one by one.
  const sockets: WebSocket[] = [];
  const delays: number[] = [];
  const sentAt = new Map<string, number>();
  const wsUrl = `${hotline.url.replace('http', 'ws')}/api/realtime`;
  for (let i = 0; i < consoles; i++) {
    const socket = new WebSocket(wsUrl, { headers: { cookie: await sessionCookieFor(db, court.users.operator.id) } });
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; data: { callId?: string } };
      const started = message.data.callId ? sentAt.get(message.data.callId) : undefined;
      if (message.type === 'call.offered' && started) delays.push(performance.now() - started);
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    sockets.push(socket);
  }
  const events = 20;
  for (let n = 0; n < events; n++) {
    const callId = `bench-${n}`;
    sentAt.set(callId, performance.now());
    await publishEvent(hotline.deps.events, { type: 'call.offered', courtId: court.courtId, audience: { roles: ['operator'] }, data: { callId, callerNumberMasked: '138****5678', queuedAt: new Date().toISOString() } });
    const expected = (n + 1) * consoles;
    const deadline = Date.now() + 5000;
    while (delays.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
  }
  sockets.forEach((s) => s.close());
  delays.sort((a, b) => a - b);
  const pick = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? NaN;
  const fanOut = { delivered: delays.length, expected: events * consoles, p50: pick(0.5), p99: pick(0.99), max: delays.at(-1) ?? NaN };
  console.log({ fanOut });

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const section = `<!-- api:start -->
## API: authenticated, validated route vs bare Fastify; websocket fan-out

Run with \`npx tsx bench/api-overhead.ts\` (${when} UTC, this machine: ${connections} autocannon connections on loopback,
${rounds} alternating rounds of ${seconds} s per side after a 2 s warm-up, mean of the rounds; PostgreSQL and Redis local; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')} on a shared 2-core machine, so
figures vary run to run). The API route is \`GET /api/departments\`: session
cookie checked (in-process cache of 2 s in front of PostgreSQL), role hook, zod-validated query and response, one
PostgreSQL query. The baseline is a bare Fastify route running the same drizzle query on the same pool, in the same run.

| | p50 (ms) | p99 (ms) | requests/s |
|---|---|---|---|
| bare Fastify route | ${bareRun.p50.toFixed(1)} | ${bareRun.p99.toFixed(1)} | ${bareRun.rps.toFixed(0)} |
| API route | ${apiRun.p50.toFixed(1)} | ${apiRun.p99.toFixed(1)} | ${apiRun.rps.toFixed(0)} |
| **ratio (API / bare)** | | **${latencyRatio.toFixed(2)}×** (target ≤ 1.3×) | **${throughputRatio.toFixed(2)}×** fewer |

Websocket fan-out: ${consoles} consoles connected to one API process (clients in the same process as the server),
${events} \`call.offered\` events published one at a time through the EventBus (Redis pub/sub) and the hub.
Delivered ${fanOut.delivered} of ${fanOut.expected}; delivery latency from publish to receipt: p50 ${fanOut.p50.toFixed(1)} ms,
**p99 ${fanOut.p99.toFixed(1)} ms** (target ≤ 100 ms), max ${fanOut.max.toFixed(1)} ms.
<!-- api:end -->`;
  const file = join(repoRoot, 'docs/performance.md');
  let doc = '# Performance\n\nEach section is written by its benchmark in `bench/` (see bench/README.md).\n';
  try {
    doc = readFileSync(file, 'utf8');
  } catch {
    // first benchmark to write the file
  }
  doc = /<!-- api:start -->[\s\S]*<!-- api:end -->/.test(doc) ? doc.replace(/<!-- api:start -->[\s\S]*<!-- api:end -->/, section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, doc);
  console.log(`wrote ${file}`);
} finally {
  await bare.close();
  await hotline.stop();
  await adminQuery(`drop database if exists ${dbName} with (force)`);
}
