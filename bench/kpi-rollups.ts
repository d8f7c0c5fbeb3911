/**
 * KPI benchmark: `BENCH_CALLS=10000000 npx tsx bench/kpi-rollups.ts` (default 10,000,000; needs PostgreSQL).
 * In a dedicated database: a year of calls with their events and tickets with their events (generate_series,
 * bench/kpi-generate.sql.ts), then a full reconcile builds facts and rollups. Measured in the same run, p95 of
 * BENCH_RUNS repetitions each:
 *   - the dashboard's 12-month view (kpiTable: by month, the court) against a plain aggregate of
 *     telephony.calls by month over the same year (offered and answered only);
 *   - a one-month per-operator table (kpiTable: by operator, every figure) against a plain aggregate of
 *     telephony.calls by answering operator over the same month;
 *   - other views (bench/kpi-views.ts): a role's slice by a second key, three- and four-key views, hourly views,
 *     and the per-operator month summed the old way (hourly base rows), with the rows each reads.
 * The tables are timed from the rollups alone (`uncheckedTable`): the check against a recount from the raw
 * rows that every served table carries (docs/kpi.md "How a figure is made", 6) costs as much as the recount and
 * is measured apart (docs/kpi.md "Against padding").
 * Writes its block (one per size) in the KPI section of docs/performance.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../platform/db/client.ts';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { createLogger } from '../platform/logger.ts';
import { reconcile, rollupLayout } from '../kpi/sync.ts';
import { kpiSql, type KpiQuery } from '../kpi/query.ts';
import { uncheckedTable as kpiTable } from '../kpi/table.ts';
import { machineLoadNote } from './write-section.ts';
import { adminQuery, databaseUrl } from '../test/harness/postgres.ts';
import { seedReferenceData } from '../tickets/seed.ts';
import { generationSql } from './kpi-generate.sql.ts';
import { cpuPerRun } from './kpi-cpu.ts';
import { otherViews, rowsRead } from './kpi-views.ts';

const calls = Number(process.env.BENCH_CALLS ?? 10_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const dbName = process.env.BENCH_DB ?? `hotline_kpi_bench_${calls}`;
/**
 * Keep the database at the end (BENCH_KEEP=1); reuse one already generated at this size (BENCH_REUSE=1); stop after
 * generating (BENCH_GENERATE_ONLY=1); with BENCH_REUSE=1, BENCH_SKIP_RECONCILE=1 keeps rollups already rebuilt at the current layout.
 */
const keep = process.env.BENCH_KEEP === '1';
const reuse = process.env.BENCH_REUSE === '1';
const generateOnly = process.env.BENCH_GENERATE_ONLY === '1';
const courtId = '0b0b0b0b-0000-4000-8000-000000012368';
const yearStart = new Date('2025-01-01T00:00:00+08:00');
const yearEnd = new Date('2026-01-01T00:00:00+08:00');
const monthFrom = new Date('2025-06-01T00:00:00+08:00');
const monthTo = new Date('2025-07-01T00:00:00+08:00');

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!;
async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

const exists = (await adminQuery(`select 1 from pg_database where datname = '${dbName}'`)).rowCount === 1;
if (!(reuse && exists)) {
  await adminQuery(`drop database if exists ${dbName} with (force)`);
  await adminQuery(`create database ${dbName}`);
}
const database = await openDatabase({ url: databaseUrl(dbName), poolSize: 4, dataDir: '', logger: createLogger({ level: 'warn', pretty: false }) });
try {
  await database.migrate();
  const db = database.db;
  await db.execute(sql`create table if not exists public.bench_meta (calls bigint not null, generate_s float8 not null, generated_at timestamptz not null default now())`);
  const previous = (await db.execute<{ calls: string; generate_s: number }>(sql`select calls, generate_s from public.bench_meta`)).rows[0];
  let generateS: number;
  if (previous && Number(previous.calls) === calls) {
    generateS = Number(previous.generate_s);
    console.log(`reusing ${dbName} (generated earlier in ${generateS.toFixed(0)} s)`);
  } else {
    if (previous) throw new Error(`${dbName} holds ${previous.calls} calls, not ${calls}`);
    await seedReferenceData(db);
    const t0 = performance.now();
    for (const statement of generationSql(calls, courtId, yearStart.toISOString())) await db.execute(sql.raw(statement));
    generateS = (performance.now() - t0) / 1000;
    await db.execute(sql`insert into public.bench_meta (calls, generate_s) values (${calls}, ${generateS})`);
  }
  const counts = (await db.execute<Record<string, string>>(sql`select (select count(*) from telephony.calls) as calls, (select count(*) from telephony.call_events) as call_events,
      (select count(*) from tickets.tickets) as tickets, (select count(*) from tickets.ticket_events) as ticket_events`)).rows[0]!;
  console.log('generated', counts, `${generateS.toFixed(0)} s`);
  if (generateOnly) process.exit(0);
  // BENCH_SKIP_RECONCILE=1 with BENCH_REUSE=1: time the views on rollups a full reconcile already built at the current layout.
  const built = (await db.execute<{ value: string }>(sql`select value from kpi.sync_state where name = 'rollup_layout'`)).rows[0];
  const skipReconcile = reuse && process.env.BENCH_SKIP_RECONCILE === '1' && Number(built?.value) === rollupLayout;
  let reconcileS: number | null = null;
  if (!skipReconcile) {
    await db.execute(sql`truncate kpi.call_facts, kpi.ticket_facts, kpi.call_tickets, kpi.rollup_hourly, kpi.rollup_daily, kpi.sync_state`);
    const t = performance.now();
    await reconcile(db, null);
    reconcileS = (performance.now() - t) / 1000;
  }
  // What autovacuum leaves in steady state (visibility map, hint bits set), so reads do not write.
  await db.execute(sql`vacuum analyze kpi.rollup_hourly, kpi.rollup_daily, kpi.call_facts, kpi.ticket_facts`);
  const rollupRows = (await db.execute<{ h: string; d: string }>(sql`select (select count(*) from kpi.rollup_hourly) as h, (select count(*) from kpi.rollup_daily) as d`)).rows[0]!;
  console.log('reconciled', rollupRows, reconcileS === null ? 'earlier' : `${reconcileS.toFixed(0)} s`);
  const loadBefore = loadavg()[0]!;
  const machineNote = await machineLoadNote();

  const asOf = new Date('2026-06-01T00:00:00Z');
  const kpi = (q: Omit<KpiQuery, 'asOf'>) => () => kpiTable(db, { ...q, asOf });
  const dashboard = await time(kpi({ filter: { courtId }, from: yearStart, to: yearEnd, grain: 'month', by: 'court' }));
  const rawYear = await time(() =>
    db.execute(sql`select date_trunc('month', arrived_at at time zone 'Asia/Shanghai') as m, count(*) filter (where in_hours and queued_at is not null) as offered,
      count(*) filter (where in_hours and answered_at is not null) as answered from telephony.calls where court_id = ${courtId} and arrived_at >= ${yearStart.toISOString()} and arrived_at < ${yearEnd.toISOString()} group by 1`),
  );
  const perOperatorQuery = { filter: { courtId }, from: monthFrom, to: monthTo, grain: 'total', by: 'operator' } as const;
  const perOperator = await time(kpi(perOperatorQuery));
  const rawMonth = await time(() =>
    db.execute(sql`select answered_by, count(*) as answered, avg(extract(epoch from answered_at - queued_at)) as asa from telephony.calls
      where court_id = ${courtId} and arrived_at >= ${monthFrom.toISOString()} and arrived_at < ${monthTo.toISOString()} and answered_at is not null group by 1`),
  );
  const row = (name: string, kpiMs: number[], raw: number[], rawName: string) => // ratio = KPI view p95 / raw aggregate p95
    `| ${name} | ${p95(kpiMs).toFixed(1)} ms | ${rawName} | ${p95(raw).toFixed(1)} ms | **${(p95(kpiMs) / p95(raw)).toFixed(3)}×** |`;
  const others = await otherViews(db, { courtId, yearStart, yearEnd, monthFrom, monthTo, asOf, time, p95 });
  const readRows = async (q: Omit<KpiQuery, 'asOf'>) => rowsRead(db, kpiSql({ ...q, asOf })!);
  const marker = `kpi-bench-${calls}`;
  const section = `<!-- ${marker}:start -->
### ${calls.toLocaleString('en')} calls

\`BENCH_CALLS=${calls} npx tsx bench/kpi-rollups.ts\`, ${new Date().toISOString().slice(0, 10)}, this machine (${machineNote}; load average ${loadBefore.toFixed(1)} before the timings, ${loadavg()[0]!.toFixed(1)} at the end).
Data (one court, one year, generate_series): ${counts.calls} calls, ${counts.call_events} call events, ${counts.tickets} tickets, ${counts.ticket_events} ticket events;
generated in ${generateS.toFixed(0)} s; a full reconcile (facts + ${rollupRows.h} hourly and ${rollupRows.d} daily rollup rows) ${reconcileS === null ? 'was run before this run (BENCH_SKIP_RECONCILE=1), not timed here' : `took ${reconcileS.toFixed(0)} s`}.
p95 of ${runs} runs each, in the same run:

| KPI query | p95 | plain aggregate over raw rows | p95 | ratio |
|---|---|---|---|---|
${row('dashboard, 12 months by month (every figure)', dashboard, rawYear, 'calls by month, offered + answered only')}
${row('one month, per operator (every figure)', perOperator, rawMonth, 'calls by operator, answered + ASA only')}

Rows each reads (EXPLAIN ANALYZE, rollup and fact rows scanned): dashboard ${await readRows({ filter: { courtId }, from: yearStart, to: yearEnd, grain: 'month', by: 'court' })}, per-operator month ${await readRows(perOperatorQuery)}.
CPU per answer (below): dashboard ${(await cpuPerRun(db, 10, kpi({ filter: { courtId }, from: yearStart, to: yearEnd, grain: 'month', by: 'court' }))).toFixed(1)} ms, per-operator month ${(await cpuPerRun(db, 10, kpi(perOperatorQuery))).toFixed(1)} ms.

Other views, same run (every figure; the rollup each reads is the coarsest that answers it exactly):

CPU per answer: this process's CPU time and that of the database's backends (from /proc), mean of 10 runs after the timed ones;
unlike the p95 it leaves out the time other work had the cores (bench/kpi-cpu.ts).

| view | reads | rows read | p95 | CPU per answer |
|---|---|---|---|---|
${others.join('\n')}

Target: each KPI view at p95 ≤ 200 ms. The issue's size is 10,000,000 calls; ${calls === 10_000_000 ? 'this run is at that size.' : `this run is at ${calls.toLocaleString('en')} calls; the script takes \`BENCH_CALLS=10000000\` unchanged.`}
<!-- ${marker}:end -->`;
  const file = join(repoRoot, 'docs/performance.md');
  let doc = readFileSync(file, 'utf8');
  const block = new RegExp(`<!-- ${marker}:start -->[\\s\\S]*<!-- ${marker}:end -->`);
  const lastBlockEnd = [...doc.matchAll(/<!-- kpi-bench-\d+:end -->/g)].pop();
  if (block.test(doc)) doc = doc.replace(block, section);
  else if (lastBlockEnd) doc = `${doc.slice(0, lastBlockEnd.index! + lastBlockEnd[0].length)}\n\n${section}${doc.slice(lastBlockEnd.index! + lastBlockEnd[0].length)}`;
  else doc = `${doc.trimEnd()}\n\n## KPIs: rollups vs plain aggregates over the raw tables\n\n${section}\n`;
  writeFileSync(file, doc);
  console.log(section);
} finally {
  await database.close();
  if (!keep) await adminQuery(`drop database if exists ${dbName} with (force)`);
}
