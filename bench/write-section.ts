/** Replaces (or appends) one benchmark's marked section of docs/performance.md. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../platform/db/migration-sets.ts';

export function writePerformanceSection(marker: string, body: string): string {
  const file = join(repoRoot, 'docs/performance.md');
  const section = `<!-- ${marker}:start -->\n${body.trim()}\n<!-- ${marker}:end -->`;
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
