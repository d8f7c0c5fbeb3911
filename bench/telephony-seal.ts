/**
 * The cost of sealing the call journal's batches: `npx tsx bench/telephony-seal.ts` (needs PostgreSQL; makes its own
 * database and drops it). The same batches written by writeRecords with and without a CallSealer, alternating rounds
 * in one process on one pool, BENCH_CONCURRENCY writers at a time (each with its own sealer, as each journal has).
 * Prints per-batch wall time, this process's CPU and PostgreSQL's (its backends serving this database, read from
 * /proc when the server is local) per batch for both sides and their ratios.
 * Knobs: BENCH_BATCHES (per round and side), BENCH_CALLS (calls per batch: 5 records each), BENCH_ROUNDS.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { generateKeyFile } from '../platform/seals/keys.ts';
import type { JournalRecord } from '../telephony/records/records.ts';
import { writeRecords } from '../telephony/records/repository.ts';
import { CallSealer } from '../telephony/records/seal.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';

const batches = Number(process.env.BENCH_BATCHES ?? 200);
const callsPerBatch = Number(process.env.BENCH_CALLS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);

const name = uniqueName('hotline_sealbench');
await adminQuery(`create database ${name}`);
const logger = createLogger({ level: 'warn', pretty: false });
const database = await openDatabase({ url: databaseUrl(name), poolSize: concurrency + 1, dataDir: '', logger });
await database.migrate();
const dir = mkdtempSync(join(tmpdir(), 'seal-bench-'));
const signer = generateKeyFile(join(dir, 'key.pem'));
const courtId = randomUUID();

function batch(at: number): JournalRecord[] {
  return Array.from({ length: callsPerBatch }, (_, i) => {
    const callId = randomUUID();
    const t = at + i;
    return [
      { kind: 'call_started', id: callId, courtId, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368', arrivedAt: t },
      { kind: 'call_event', id: randomUUID(), callId, courtId, at: t + 1, seq: 1, event: 'arrived', operatorId: null, data: {} },
      { kind: 'call_event', id: randomUUID(), callId, courtId, at: t + 2, seq: 2, event: 'queued', operatorId: null, data: { skill: 'general' } },
      { kind: 'call_event', id: randomUUID(), callId, courtId, at: t + 3, seq: 3, event: 'hangup', operatorId: null, data: { by: 'caller' } },
      {
        kind: 'call_closed', callId, arrivedAt: t, endedAt: t + 3,
        summary: { outcome: 'abandoned_in_queue', hangupBy: 'caller', inHours: true, skill: 'general', queuedAt: t + 2, answeredAt: null, answeredBy: null },
      },
    ] satisfies JournalRecord[];
  }).flat();
}

/** CPU ms of the PostgreSQL backends serving this database (null when /proc does not have them: a remote server). */
async function postgresCpuMs(): Promise<number | null> {
  const { rows } = await database.db.execute<{ pid: number }>(sql`select pid from pg_stat_activity where datname = current_database()`);
  try {
    return rows.reduce((sum, r) => {
      const fields = readFileSync(`/proc/${r.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return sum + ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    }, 0);
  } catch {
    return null;
  }
}

async function round(sealed: boolean): Promise<{ ms: number; cpu: number; pg: number | null }> {
  const work = Array.from({ length: batches }, (_, i) => batch(Date.now() - 86_400_000 + i * 10));
  const sealers = Array.from({ length: concurrency }, () => new CallSealer(signer));
  const pg0 = await postgresCpuMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    sealers.map(async (sealer) => {
      while (next < work.length) {
        const b = work[next++]!;
        await writeRecords(database.db, b, sealed ? sealer : undefined);
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const pg1 = await postgresCpuMs();
  return { ms: ms / batches, cpu: (cpu.user + cpu.system) / 1000 / batches, pg: pg0 === null || pg1 === null ? null : (pg1 - pg0) / batches };
}

await round(false);
await round(true);
type Round = Awaited<ReturnType<typeof round>>;
const results = { bare: [] as Round[], sealed: [] as Round[] };
for (let r = 0; r < rounds; r++) {
  results.bare.push(await round(false));
  results.sealed.push(await round(true));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const side = (xs: Round[]) => ({ ms: mean(xs.map((x) => x.ms)), cpu: mean(xs.map((x) => x.cpu)), pg: xs.some((x) => x.pg === null) ? null : mean(xs.map((x) => x.pg!)) });
const pgCell = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
const bare = side(results.bare);
const sealed = side(results.sealed);
console.log(`${rounds} alternating rounds of ${batches} batches of ${callsPerBatch} calls (${callsPerBatch * 5} records), ${concurrency} writers; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
console.log(`| | ms per batch (wall) | CPU ms per batch (this process) | CPU ms per batch (PostgreSQL) |`);
console.log(`|---|---|---|---|`);
console.log(`| journal batch, unsealed | ${bare.ms.toFixed(2)} | ${bare.cpu.toFixed(2)} | ${pgCell(bare.pg)} |`);
console.log(`| journal batch, sealed | ${sealed.ms.toFixed(2)} | ${sealed.cpu.toFixed(2)} | ${pgCell(sealed.pg)} |`);
console.log(`| **ratio** | **${(sealed.ms / bare.ms).toFixed(2)}×** | **${(sealed.cpu / bare.cpu).toFixed(2)}×** | **${bare.pg && sealed.pg !== null ? `${(sealed.pg / bare.pg).toFixed(2)}×` : 'n/a'}** |`);
await database.close();
await adminQuery(`drop database if exists ${name} with (force)`);
rmSync(dir, { recursive: true, force: true });
