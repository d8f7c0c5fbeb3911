/**
 * CPU time a KPI view costs, apart from the machine's load: this process's CPU and that of the database's client
 * backends (read from /proc), over a number of runs. On a shared machine the wall-clock p95 also holds the time
 * other work had the cores; on an idle one it is close to this (the query and the parsing run one after the other).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

async function backendCpuMs(db: Db): Promise<number> {
  const { rows } = await db.execute<{ pid: number }>(sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`);
  let ms = 0;
  for (const { pid } of rows) {
    try {
      // Fields after the command name (which may hold spaces, in parentheses): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
    } catch {
      // A backend that ended meanwhile (or another host's): not counted.
    }
  }
  return ms;
}

/** Mean CPU milliseconds per run of `fn` (this process + the database's backends), over `runs` runs. */
export async function cpuPerRun(db: Db, runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm, and every pool connection open
  const own = process.cpuUsage();
  const backends = await backendCpuMs(db);
  for (let i = 0; i < runs; i++) await fn();
  const used = process.cpuUsage(own);
  return ((used.user + used.system) / 1000 + ((await backendCpuMs(db)) - backends)) / runs;
}
