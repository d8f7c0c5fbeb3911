/**
 * Work-order stage changes benchmark: `npx tsx bench/tickets-stage-changes.ts` (needs PostgreSQL; starts its own
 * redis-server on a free loopback port and its own database, and removes both at the end).
 * Hand-offs (交办) per second through the API — POST /api/tickets/:id/handoff signed in as an operator, on loopback
 * with autocannon: session check, role hook, zod validation, the stage machine, the ticket row lock, the deadline on
 * the working-day calendar, 3 chase timers, the hash-chained audit event, 4 outbox rows, the relay moving them to
 * Redis, and the ticket read back — against a bare insert of the same rows (the ticket update, 3 sla_timers rows,
 * 1 ticket_events row, 4 outbox rows) in one transaction each, from the same process on the same pool, with the
 * same concurrency. Alternating rounds; writes its section of docs/performance.md.
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { eq, sql } from 'drizzle-orm';
import { seedCourt, sessionCookieFor } from '../api/testing/fixtures.ts';
import { startHotline } from '../hotline.ts';
import { loadConfig } from '../platform/config/load.ts';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { serviceOf } from '../platform/deps.ts';
import { createLogger } from '../platform/logger.ts';
import { redisMemorySettings } from '../platform/redis/private-server.ts';
import type { Actor } from '../platform/user-roles.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';
import { ticketEvents } from '../tickets/audit.sql.ts';
import { outbox, slaTimers } from '../tickets/outbox.sql.ts';
import { jobIds, stageQueues } from '../tickets/queues.ts';
import { tickets } from '../tickets/tickets.sql.ts';
import { startPrivateRedis } from './private-redis.ts';
import { machineLoadNote, quantile, writePerformanceSection } from './write-section.ts';

const machineNote = await machineLoadNote();

const perRound = Number(process.env.BENCH_CHANGES ?? 300);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);

const redisServer = await startPrivateRedis(redisMemorySettings);
const dbName = uniqueName('hotline_sbench');
await adminQuery(`create database ${dbName}`);
const config = loadConfig({
  env: { HOTLINE_PORT: '0', HOTLINE_ROLES: 'api', REDIS_URL: redisServer.url, REDIS_AUTOSTART: 'false', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl(dbName) },
  cwd: repoRoot,
});
const hotline = await startHotline(config, createLogger({ level: 'warn', pretty: false }));
try {
  const { db } = hotline.deps;
  const service = serviceOf(hotline.deps, 'tickets');
  // The API side works in one court; the bare side in another, so its events do not enter the API court's chain.
  const apiCourt = await seedCourt(db);
  const bareCourt = await seedCourt(db);
  const operatorOf = (court: typeof apiCourt): Actor => ({ userId: court.users.operator.id, role: 'operator', courtId: court.courtId, departmentId: null });
  const cookie = await sessionCookieFor(db, apiCourt.users.operator.id);
  const warm = 20;
  const total = warm + perRound * rounds;
  const createTickets = async (court: typeof apiCourt) => {
    const ids: string[] = [];
    for (let n = 0; n < total; n += 8) {
      const made = await Promise.all(Array.from({ length: Math.min(8, total - n) }, (_, i) => service.create(operatorOf(court), { summary: `交办样本 ${n + i}`, callerNumber: '13800000000' })));
      ids.push(...made.map((t) => t.id));
    }
    return ids;
  };
  const apiIds = await createTickets(apiCourt);
  const bareIds = await createTickets(bareCourt);
  console.log(`created ${apiIds.length + bareIds.length} tickets`);

  /** Hands off `ids` through the API, `connections` requests at a time; requests per second and latency. */
  const throughApi = async (ids: string[]) => {
    let next = 0;
    const body = JSON.stringify({ handlerUserId: apiCourt.users.judge.id });
    const result = await autocannon({
      url: hotline.url,
      connections,
      amount: ids.length,
      requests: [{ method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body, setupRequest: (req) => ({ ...req, path: `/api/tickets/${ids[next++]}/handoff` }) }],
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`API: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { perSecond: ids.length / (result.duration), p50: result.latency.p50, p99: result.latency.p99 };
  };

  /** The same rows a hand-off writes, inserted bare: one transaction per ticket, `connections` at a time. */
  let bareSeq = 1_000_000; // after the creation events of the bare court
  const bareHandOff = async (ticketId: string) => {
    const now = new Date();
    const deadline = new Date(now.getTime() + 3 * 24 * 3600_000);
    const judge = bareCourt.users.judge;
    await db.transaction(async (tx) => {
      const [ticket] = await tx
        .update(tickets)
        .set({ stage: 'handoff', handlerUserId: judge.id, handlerDepartmentId: judge.departmentId, handedOffAt: now, deadline, deadlineVersion: sql`${tickets.deadlineVersion} + 1`, updatedAt: now })
        .where(eq(tickets.id, ticketId))
        .returning({ id: tickets.id, number: tickets.number, version: tickets.deadlineVersion });
      const levels = [
        { level: 'reminder' as const, fireAt: new Date(deadline.getTime() - 24 * 3600_000) },
        { level: 'escalation1' as const, fireAt: deadline },
        { level: 'escalation2' as const, fireAt: new Date(deadline.getTime() + 24 * 3600_000) },
      ];
      const timers = levels.map((t) => ({ jobId: jobIds.sla(ticketId, ticket!.version, t.level), ticketId, level: t.level, fireAt: t.fireAt }));
      await tx.insert(slaTimers).values(timers);
      const after = { stage: 'handoff', handlerUserId: judge.id, handlerDepartmentId: judge.departmentId, handedOffAt: now.toISOString(), deadline: deadline.toISOString(), deadlineVersion: ticket!.version };
      const [event] = await tx
        .insert(ticketEvents)
        .values({
          courtId: bareCourt.courtId,
          seq: ++bareSeq,
          ticketId,
          action: 'hand_off',
          actorId: bareCourt.users.operator.id,
          actorRole: 'operator',
          at: now,
          before: { stage: 'answer', handlerUserId: null, handlerDepartmentId: null, handedOffAt: null, deadline: null, deadlineVersion: ticket!.version - 1 },
          after,
          prevHash: '0'.repeat(64),
          hash: '0'.repeat(64),
        })
        .returning({ id: ticketEvents.id });
      // Marked relayed: the bare side measures the writes only, so the product's relay leaves these rows alone.
      await tx.insert(outbox).values([
        ...timers.map((t) => ({ queue: stageQueues.chase, action: 'add', jobName: 'sla', jobId: t.jobId, data: { ticketId, level: t.level, deadlineVersion: ticket!.version }, runAt: t.fireAt, relayedAt: now })),
        { queue: stageQueues.handoff, action: 'add', jobName: 'notify', jobId: jobIds.notify(event!.id, 0), data: { eventId: event!.id, ticketId, type: 'ticket.assigned', number: ticket!.number }, relayedAt: now },
      ]);
    });
  };
  const bareInsert = async (ids: string[]) => {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const t = performance.now();
          await bareHandOff(id);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return { perSecond: ids.length / ((performance.now() - started) / 1000), p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
  };

  // Warm-up (JIT, pool, session cache) on a few tickets of each side, then alternating rounds.
  await throughApi(apiIds.slice(0, warm));
  await bareInsert(bareIds.slice(0, warm));
  const apiRuns: Awaited<ReturnType<typeof throughApi>>[] = [];
  const bareRuns: Awaited<ReturnType<typeof bareInsert>>[] = [];
  for (let r = 0; r < rounds; r++) {
    const slice = (ids: string[]) => ids.slice(warm + r * perRound, warm + (r + 1) * perRound);
    bareRuns.push(await bareInsert(slice(bareIds)));
    apiRuns.push(await throughApi(slice(apiIds)));
    console.log({ round: r, bare: bareRuns.at(-1), api: apiRuns.at(-1) });
  }
  const mean = (runs: { perSecond: number; p50: number; p99: number }[]) => ({
    perSecond: runs.reduce((a, x) => a + x.perSecond, 0) / runs.length,
    p50: runs.reduce((a, x) => a + x.p50, 0) / runs.length,
    p99: runs.reduce((a, x) => a + x.p99, 0) / runs.length,
  });
  const api = mean(apiRuns);
  const bare = mean(bareRuns);

  // The relay runs beside the requests; give it a moment to finish what was committed last.
  for (let i = 0; i < 60; i++) {
    const [left] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from tickets.outbox where relayed_at is null`)).rows;
    if (left!.n === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // What the API side wrote is whole: every ticket handed off, 3 timers each, a chain without a gap, the outbox relayed.
  const [check] = (
    await db.execute<{ handed: number; timers: number; events: number; max_seq: number; unrelayed: number }>(sql`select
      (select count(*)::int from tickets.tickets where court_id = ${apiCourt.courtId} and stage = 'handoff') as handed,
      (select count(*)::int from tickets.sla_timers s join tickets.tickets t on t.id = s.ticket_id where t.court_id = ${apiCourt.courtId}) as timers,
      (select count(*)::int from tickets.ticket_events where court_id = ${apiCourt.courtId}) as events,
      (select max(seq)::int from tickets.ticket_events where court_id = ${apiCourt.courtId}) as max_seq,
      (select count(*)::int from tickets.outbox where relayed_at is null) as unrelayed`)
  ).rows;
  console.log({ api, bare, check });
  if (check!.handed !== total || check!.timers !== 3 * total || check!.events !== check!.max_seq) throw new Error(`API side incomplete: ${JSON.stringify(check)}`);

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const file = writePerformanceSection(
    'tickets-stage-changes',
    `## Work orders: stage changes through the API vs a bare insert of the same rows

\`npx tsx bench/tickets-stage-changes.ts\` (${when} UTC, this machine: ${machineNote}; load average at the
end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}; PostgreSQL local, a private redis-server started by the bench). The change is a hand-off (交办):
\`POST /api/tickets/:id/handoff\` signed in as an operator, ${connections} autocannon connections on loopback (session check, role hook,
zod validation, the stage machine and scope check under the ticket's row lock, the deadline on the working-day calendar,
3 chase timers, the hash-chained audit event under the court's advisory lock, 4 outbox rows, the outbox relay moving
them to Redis in the same process, and the ticket read back for the answer). The baseline inserts the same rows bare
— the ticket update, 3 \`sla_timers\`, 1 \`ticket_events\` (no chain), 4 \`outbox\` — one transaction per change, ${connections}
at a time on the same pool, in the same run. ${rounds} alternating rounds of ${perRound} changes per side after a warm-up, mean of the rounds:

| | changes/s | p50 (ms) | p99 (ms) |
|---|---|---|---|
| bare insert of the same rows | ${bare.perSecond.toFixed(0)} | ${bare.p50.toFixed(1)} | ${bare.p99.toFixed(1)} |
| hand-off through the API | ${api.perSecond.toFixed(0)} | ${api.p50.toFixed(1)} | ${api.p99.toFixed(1)} |
| **ratio (bare / API)** | **${(bare.perSecond / api.perSecond).toFixed(2)}×** | | |

Checked after the run: all ${check!.handed} API-side tickets handed off with ${check!.timers} timers, ${check!.events} events numbered without a gap,
${check!.unrelayed} outbox rows left unrelayed.`,
  );
  console.log(`wrote ${file}`);
} finally {
  await hotline.stop();
  await redisServer.stop();
  await adminQuery(`drop database if exists ${dbName} with (force)`);
}
