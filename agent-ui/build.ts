/**
 * Builds the console with Vite when its build is missing or older than its sources (npm start and npm test
 * run this first, so a fresh clone works with the README's two commands). `--force` always builds.
 */
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress.ts';

const uiRoot = fileURLToPath(new URL('.', import.meta.url));
const stamp = join(uiRoot, 'dist', '.built-at');
/** Everything the bundle is made from, besides node_modules (tracked by the lock file). */
// The console bundles the tickets capability's case-number parser and vocabulary (one source for both sides).
const inputs = ['src', 'index.html', 'vite.config.ts', 'precompress.ts', '../tickets/case-number.ts', '../tickets/errors.ts', '../tickets/vocabulary.ts', '../platform/errors.ts', '../package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function consoleBuildIsCurrent(): boolean {
  if (!existsSync(stamp) || !existsSync(join(uiRoot, 'dist', 'index.html'))) return false;
  const builtAt = statSync(stamp).mtimeMs;
  return inputs.every((input) => newestMtime(join(uiRoot, input)) <= builtAt);
}

export async function buildConsole({ force = false } = {}): Promise<'built' | 'current'> {
  if (!force && consoleBuildIsCurrent()) return 'current';
  const { build } = await import('vite');
  const startedAt = Date.now();
  // Always a production bundle, even when called from a test run (vitest sets NODE_ENV=test, which would
  // give React's development build).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(uiRoot, 'vite.config.ts'), mode: 'production' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  precompress(join(uiRoot, 'dist'));
  // Stamped with the start time: a source saved during the build makes the next run build again.
  writeFileSync(stamp, new Date(startedAt).toISOString());
  utimesSync(stamp, new Date(startedAt), new Date(startedAt));
  return 'built';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const startedAt = Date.now();
  const result = await buildConsole({ force: process.argv.includes('--force') });
  console.log(result === 'built' ? `console built in ${Date.now() - startedAt} ms (agent-ui/dist)` : 'console build is current (agent-ui/dist)');
}
