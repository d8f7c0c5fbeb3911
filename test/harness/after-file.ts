import { afterAll, beforeAll } from 'vitest';

/**
 * vitest runs only the afterAll hooks registered while it collects a file: one registered later, from a
 * beforeAll or a test, is dropped without a word, and what it would have stopped (a hotline, a database) stays
 * up for the rest of the run. The harness registers its clean-ups here instead: during collection as an
 * afterAll, as before; later onto this file's own list, run last first by the afterAll below once the file is
 * done. Relies on vitest's default isolation (this module is evaluated afresh for every file).
 */
let collecting = true;
const late: Array<() => unknown> = [];

// Only under vitest: the benchmarks import the harness's helpers (bench/), and a hook outside a run throws.
if (process.env.VITEST) {
  beforeAll(() => {
    collecting = false;
  });

  afterAll(async () => {
    let first: unknown;
    for (const cleanUp of late.splice(0).reverse()) {
      try {
        await cleanUp();
      } catch (err) {
        first ??= err;
      }
    }
    if (first) throw first;
  });
}

export function afterFile(cleanUp: () => unknown): void {
  if (collecting) afterAll(async () => void (await cleanUp()));
  else late.push(cleanUp);
}
