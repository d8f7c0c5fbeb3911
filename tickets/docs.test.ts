import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { transitions } from './stage-machine.ts';

describe('docs/tickets.md', () => {
  it('shows exactly the transition table the code enforces', () => {
    const doc = readFileSync(join(repoRoot, 'docs/tickets.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => ({
      action: m[1],
      from: m[2]!.trim().split(', '),
      to: m[3]!.trim(),
      roles: m[4]!.trim().split(', '),
    }));
    expect(rows).toEqual(transitions.map((t) => ({ action: t.action, from: [...t.from], to: t.to, roles: [...t.roles] })));
  });
});
