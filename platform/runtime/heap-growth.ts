import { setFlagsFromString } from 'node:v8';
import type { Logger } from '../logger.ts';

/**
 * Sets how far V8 lets the old generation grow past the last full collection's survivors before the next one.
 *
 * Why: a call-driving process promotes little (its calls' state), so V8 picks a small factor (or its minimum step
 * of ~12 MB) and ran a full mark-compact every 16–21 s at 40–46 calls/s. Each one marks the whole ~55 MB live heap:
 * 100–300 ms of marking CPU that, on a small host (docs/performance.md, the nodes section: 0.45 core per node),
 * takes the node's CPU from the calls, and the callers whose setups fall in it wait 100–300 ms. With 100 the next
 * collection waits for twice the survivors: at 40 calls/s none came in 100 s.
 * The factor becomes exactly 1 + percent/100 for the whole process (every role in it, worker threads included),
 * replacing V8's own choice of 1.1–4.0 and its memory-saving modes; the cost is about the live heap again at peak.
 * 0 gives the choice back to V8. It overrides a `--heap-growing-percent` given on the command line. The flag is read
 * at each full collection, so setting it after start takes effect at the next one.
 */
export function applyHeapGrowth(percent: number, logger: Logger): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 400) throw new RangeError(`heap growth percent out of range: ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  logger.info({ heapGrowthPercent: percent }, percent === 0 ? 'old generation growth: V8 decides' : 'old generation growth set');
}
