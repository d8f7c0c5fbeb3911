import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/load.ts';
import { repoRoot } from '../db/migration-sets.ts';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'hotline-config-'));

/**
 * The factor V8 computed and the one its new old-generation limit used, at the child's forced full collection after
 * the setting. Only the child's main isolate counts (tsx's loader thread has a heap of its own): its lines carry the
 * `[pid:isolate]` prefix of the forced collection's line. V8 11 (Node 20) prints the factor used after the limit;
 * later versions drop it there and print the computed line after their override, so then both read the same.
 */
function limitAfter(percent: number, nodeFlags: string[] = []): { computed: number; used: number } {
  const run = spawnSync(process.execPath, [...nodeFlags, '--expose-gc', '--trace-gc-verbose', '--import', 'tsx', 'platform/runtime/test/heap-growth-child.ts', String(percent)], { cwd: repoRoot, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const after = run.stdout.slice(run.stdout.indexOf('APPLIED')).split('\n');
  const forced = after.find((line) => /Mark-Compact/.test(line) && /testing/.test(line));
  expect(forced, after.join('\n').slice(0, 2000)).toBeTruthy();
  const isolate = forced!.match(/^\[\d+:0x[0-9a-f]+\]/)![0];
  const mine = after.filter((line) => line.startsWith(isolate));
  const computed = mine.map((line) => line.match(/\[HeapController\] factor ([\d.]+) based on/)).find(Boolean);
  const limit = mine.map((line) => line.match(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB(?: \(([\d.]+)\))?/)).find(Boolean);
  expect(computed && limit, mine.join('\n').slice(0, 2000)).toBeTruthy();
  return { computed: Number(computed![1]), used: Number(limit![1] ?? computed![1]) };
}

describe('the old generation growth of a call-driving process (HOTLINE_HEAP_GROWTH_PERCENT)', () => {
  it('100 makes the next full collection wait for twice the survivors, whatever factor V8 computed', () => {
    expect(limitAfter(100).used).toBe(2);
    expect(limitAfter(50).used).toBe(1.5);
  });

  it('0 gives the factor back to V8, also over a growth set on the command line', () => {
    const { computed, used } = limitAfter(0, ['--heap-growing-percent=250']);
    expect(used).not.toBe(3.5);
    expect(used).toBe(computed);
  });

  it('is 100 by default and refuses a value out of range with the variable named', () => {
    expect(loadConfig({ env: {}, cwd: emptyDir() }).runtime.heapGrowthPercent).toBe(100);
    expect(loadConfig({ env: { HOTLINE_HEAP_GROWTH_PERCENT: '0' }, cwd: emptyDir() }).runtime.heapGrowthPercent).toBe(0);
    for (const bad of ['500', '-1', '1.5', 'lots']) {
      expect(() => loadConfig({ env: { HOTLINE_HEAP_GROWTH_PERCENT: bad }, cwd: emptyDir() })).toThrow(ConfigError);
      expect(() => loadConfig({ env: { HOTLINE_HEAP_GROWTH_PERCENT: bad }, cwd: emptyDir() })).toThrow(/HOTLINE_HEAP_GROWTH_PERCENT/);
    }
  });
});
