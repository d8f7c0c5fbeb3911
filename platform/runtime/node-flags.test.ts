import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../db/migration-sets.ts';
import { serverNodeFlags } from './node-flags.ts';

describe('the flags the server runs with', () => {
  it('npm start passes exactly serverNodeFlags', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe(`node ${serverNodeFlags.join(' ')} dist/server/main.js`);
  });

  it('this Node accepts each of them', () => {
    const run = spawnSync(process.execPath, [...serverNodeFlags, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
