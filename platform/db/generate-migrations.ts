/**
 * Generates each capability's migrations from its `*.sql.ts` tables with drizzle-kit.
 * Usage: npm run db:generate [-- <capability> [--name <migration-name>]]
 * With --check, writes nothing and exits 1 when a capability's tables differ from its committed migrations.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { migrationSets, repoRoot } from './migration-sets.ts';

const args = process.argv.slice(2);
const check = args.includes('--check');
const nameIndex = args.indexOf('--name');
const name = nameIndex >= 0 ? args[nameIndex + 1] : undefined;
const only = args.find((a, i) => !a.startsWith('--') && i !== nameIndex + 1);
const drizzleKit = join(repoRoot, 'node_modules', '.bin', 'drizzle-kit');

let stale = 0;
for (const set of migrationSets.filter((s) => !only || s.name === only)) {
  const out = check ? copyToTemp(set.folder) : join(repoRoot, set.folder);
  const before = countSql(out);
  // drizzle-kit takes --out relative to the working directory only.
  const result = spawnSync(
    drizzleKit,
    ['generate', '--dialect=postgresql', `--schema=${set.schema}`, `--out=${relative(repoRoot, out)}`, ...(name ? [`--name=${name}`] : [])],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (!check) process.stdout.write(output);
  // drizzle-kit exits 0 on some errors, so its output is checked too.
  if (result.status !== 0 || /\bError\b/.test(output)) {
    console.error(`${set.name}: drizzle-kit failed:\n${output}`);
    process.exit(2);
  }
  if (check && countSql(out) !== before) {
    stale++;
    console.error(`${set.name}: its tables changed but no migration was generated. Run: npm run db:generate -- ${set.name}`);
  }
  if (check) rmSync(out, { recursive: true, force: true });
}
if (stale > 0) process.exit(1);

function copyToTemp(folder: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-migrations-'));
  const source = join(repoRoot, folder);
  if (existsSync(source)) cpSync(source, dir, { recursive: true });
  return dir;
}

function countSql(dir: string): number {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')).length : 0;
}
