/**
 * The check's cost on a long span: `BENCH_CALLS=1000000 npx tsx bench/kpi-check.ts` (needs PostgreSQL).
 * In a dedicated database, a year of calls and tickets (bench/kpi-generate.sql.ts) with facts and rollups built.
 * Timed in the same run, the dashboard's 12-month view (by month, the court) as served, with its check against
 * the raw rows:
 *   - baseline: the check recounting the whole year from the raw rows (what every check did before memos);
 *   - cold: through signed month memos (kpi/recount-memo.ts) with none made yet (each month recounted and signed);
 *   - warm: the same again, the memos read (each month's raw digest taken and the signature checked);
 *   - one month changed: a call of one month edited, so that month alone is recounted.
 * Writes its block in the KPI section of docs/performance.md.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { recountKpis } from '../kpi/span-recount.ts';
import { reconcile } from '../kpi/sync.ts';
import { kpiTable } from '../kpi/table.ts';
import type { KpiQuery } from '../kpi/query.ts';
import type { MemoCounts } from '../kpi/recount-memo.ts';
import { openDatabase } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { SealSigner } from '../platform/seals/keys.ts';
import { adminQuery, databaseUrl } from '../test/harness/postgres.ts';
import { seedReferenceData } from '../tickets/seed.ts';
import { generationSql } from './kpi-generate.sql.ts';
import { machineLoadNote, quantile, writePerformanceSection } from './write-section.ts';

const calls = Number(process.env.BENCH_CALLS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dbName = `hotline_kpi_check_bench_${calls}`;
/** Keep the database at the end (BENCH_KEEP=1), to look into a query; BENCH_WRITE=0 leaves docs/performance.md alone. */
const keep = process.env.BENCH_KEEP === '1';
const courtId = '0b0b0b0b-0000-4000-8000-000000012368';
const yearStart = new Date('2025-01-01T00:00:00+08:00');
const yearEnd = new Date('2026-01-01T00:00:00+08:00');
const asOf = new Date('2026-06-01T00:00:00Z');

await adminQuery(`drop database if exists ${dbName} with (force)`);
await adminQuery(`create database ${dbName}`);
const database = await openDatabase({ url: databaseUrl(dbName), poolSize: 4, dataDir: '', logger: createLogger({ level: 'warn', pretty: false }) });
try {
  await database.migrate();
  const db = database.db;
  await seedReferenceData(db);
  for (const statement of generationSql(calls, courtId, yearStart.toISOString())) await db.execute(sql.raw(statement));
  await reconcile(db, null);
  await db.execute(sql`vacuum analyze`);
  const note = await machineLoadNote();
  const signer = new SealSigner(generateKeyPairSync('ed25519').privateKey);
  const query: KpiQuery = { filter: { courtId }, from: yearStart, to: yearEnd, grain: 'month', by: 'court', asOf };

  const timeOnce = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const baseline: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const oneChanged: number[] = [];
  const counts: MemoCounts = { used: 0, made: 0, refused: 0 };
  for (let i = 0; i < runs; i++) {
    baseline.push(await timeOnce(() => kpiTable(db, query)));
    await db.execute(sql`truncate kpi.recount_memos`);
    cold.push(await timeOnce(() => kpiTable(db, query, { signer, counts })));
    warm.push(await timeOnce(() => kpiTable(db, query, { signer, counts })));
    await db.execute(sql`update telephony.calls set ended_at = ended_at + interval '1 second'
      where id = (select id from telephony.calls where court_id = ${courtId} and arrived_at >= '2025-05-01T00:00:00+08:00' and arrived_at < '2025-06-01T00:00:00+08:00' order by id limit 1)`);
    oneChanged.push(await timeOnce(() => kpiTable(db, query, { signer, counts })));
  }
  // The memos' figures are the recount's (the check's own equality is tested in kpi/recount-memo.test.ts).
  const direct = await recountKpis(db, query);
  const viaMemos = await kpiTable(db, query, { signer });
  const same = JSON.stringify(viaMemos.rows.map((r) => r.sums.calls)) === JSON.stringify(direct.filter((r) => r.sums.calls > 0).map((r) => r.sums.calls));
  const median = (xs: number[]) => quantile(xs, 0.5);
  const b = median(baseline);
  const line = (name: string, xs: number[]) => `| ${name} | ${(median(xs) / 1000).toFixed(2)} s | **${(median(xs) / b).toFixed(3)}×** |`;
  const body = `### The check on a year (${calls.toLocaleString('en')} calls)

\`BENCH_CALLS=${calls} npx tsx bench/kpi-check.ts\`, ${new Date().toISOString().slice(0, 10)}, this machine (${note}).
The dashboard's 12-month view (by month, the court) as served, check included; median of ${runs} runs each, in the same run.
Ratio = time / the baseline's.

| check | median | ratio |
|---|---|---|
${line('baseline: recount the whole year from the raw rows', baseline)}
${line('memos, none made yet (12 months recounted and signed)', cold)}
${line('memos, all current (12 raw digests, 12 signatures checked)', warm)}
${line('memos, one month changed (that month recounted)', oneChanged)}

Memos over the runs: ${counts.used} read, ${counts.made} made, ${counts.refused} refused. Figures through memos equal the direct recount: ${same ? 'yes' : '**no**'}.`;
  if (process.env.BENCH_WRITE !== '0') writePerformanceSection(`kpi-check-${calls}`, body);
  console.log(body);
} finally {
  await database.close();
  if (!keep) await adminQuery(`drop database if exists ${dbName} with (force)`);
}
