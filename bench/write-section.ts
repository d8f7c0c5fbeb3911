/** Replaces (or appends) one benchmark's marked section of docs/performance.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../platform/db/migration-sets.ts';

export function writePerformanceSection(marker: string, body: string): string {
  const file = join(repoRoot, 'docs/performance.md');
  const section = `<!-- ${marker}:start -->\n${body.trim()}\n<!-- ${marker}:end -->`;
  // BENCH_NO_DOCS=1: a run for looking (profiling, a loaded machine) prints its section and leaves the docs alone.
  if (process.env.BENCH_NO_DOCS === '1') {
    console.log(section);
    return '(not written: BENCH_NO_DOCS=1)';
  }
  const pattern = new RegExp(`<!-- ${marker}:start -->[\\s\\S]*<!-- ${marker}:end -->`);
  const doc = readFileSync(file, 'utf8');
  writeFileSync(file, pattern.test(doc) ? doc.replace(pattern, () => section) : `${doc.trimEnd()}\n\n${section}\n`);
  return file;
}

/** The q-quantile (0…1) of a list of numbers, nearest rank. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/**
 * How busy the machine was just before a benchmark, sampled over one second: figures taken on a machine
 * shared with other work say more about the sharing than about the code. (The load average lags by
 * minutes, so it still counts an earlier benchmark that has already finished.)
 */
export async function machineLoadNote(): Promise<string> {
  const total = () => cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, all: acc.all + Object.values(c.times).reduce((a, b) => a + b, 0) }), { idle: 0, all: 0 });
  const before = total();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = total();
  const busy = 1 - (after.idle - before.idle) / Math.max(1, after.all - before.all);
  const shared = busy > 0.15 ? ', **shared with other work while it ran**' : ', otherwise idle';
  return `${cpus().length} cores${shared}: ${(busy * 100).toFixed(0)}% busy in the second before it started`;
}

/**
 * Starts counting the CPU time the virtual machine's host kept from it (steal, from /proc/stat) and returns
 * how to read it: the share of all CPU time since the start that was stolen, or null where the kernel does not
 * say. On a shared host the same code can run twice as slow from one minute to the next; a run's figures are
 * comparable only with steal near zero.
 */
export function stealMeter(): () => number | null {
  const read = (): { steal: number; all: number } | null => {
    try {
      const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      if (fields.length < 8) return null;
      return { steal: fields[7]!, all: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const start = read();
  return () => {
    const now = read();
    if (!start || !now || now.all === start.all) return null;
    return (now.steal - start.steal) / (now.all - start.all);
  };
}
