import { appendFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import type { Hotline } from '../../hotline.ts';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { withTimeout } from '../../platform/timeout.ts';

/** Under the hook timeout (vitest.config.ts), so a stuck stop fails with its own message, not the hook's. */
const stopBoundMs = 45_000;
const log = join(repoRoot, 'test-artifacts', 'shutdowns.jsonl');

/**
 * Stops a test's hotline. A stop that does not end fails naming the step it is stuck in and what the steps
 * before it took; a slow step is reported. Every stop's step times go to test-artifacts/shutdowns.jsonl, so a
 * run shows which steps come near the bound.
 */
export async function stopHotline(hotline: Hotline): Promise<void> {
  const { lifecycle } = hotline.deps;
  const summary = (): string => lifecycle.finishedSteps.map((s) => `${s.name} ${s.ms} ms`).join(', ') || 'none';
  try {
    await withTimeout(hotline.stop(), stopBoundMs, 'stuck');
  } catch (err) {
    if ((err as Error).message !== 'stuck') throw err;
    throw new Error(`hotline.stop() still in "${lifecycle.runningStep}" after ${stopBoundMs / 1000} s (steps done: ${summary()})`);
  } finally {
    record(hotline);
  }
  // The lifecycle's own warning goes to the hotline's log, silent in tests.
  if (lifecycle.finishedSteps.some((s) => s.ms >= lifecycle.slowMs)) console.warn(`[slow hotline stop] ${summary()}`);
}

/** One line per stop; a log that cannot be written must not hide how the stop went. */
function record({ deps: { lifecycle } }: Hotline): void {
  try {
    mkdirSync(join(repoRoot, 'test-artifacts'), { recursive: true });
    const testPath = expect.getState().testPath;
    const file = testPath ? relative(repoRoot, testPath) : undefined;
    appendFileSync(log, `${JSON.stringify({ at: new Date().toISOString(), pid: process.pid, file, running: lifecycle.runningStep, steps: lifecycle.finishedSteps })}\n`);
  } catch (err) {
    console.warn(`[hotline stop not logged] ${(err as Error).message}`);
  }
}
