/**
 * The Node.js flags the hotline's server runs with: package.json's `start` script spells them out (npm cannot import
 * this file; node-flags.test.ts keeps the two the same), and the benchmarks and tests that start the server as
 * production does take them from here.
 *
 * --no-memory-reducer: V8's memory reducer runs a full, compacting collection of the whole heap when it sees the
 * process idle, and by its watchdog 100 s after the last full collection whatever the load. With full collections
 * made rare on purpose (platform/runtime/heap-growth.ts), the watchdog's came every ~100 s in the middle of busy
 * call traffic and held call setups 100–300 ms on a small host (docs/performance.md, the nodes section). A server
 * gives memory back by its heap limit, not by idleness. V8 makes the reducer when the heap is set up, so this flag
 * works only on the command line (not in NODE_OPTIONS, nor set at run time).
 */
export const serverNodeFlags: readonly string[] = ['--enable-source-maps', '--no-memory-reducer'];
