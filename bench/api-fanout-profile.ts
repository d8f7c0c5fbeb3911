/**
 * Where the websocket fan-out's time goes: `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/api-fanout-profile.ts`
 * connects BENCH_CONSOLES (default 500) consoles from a worker thread and publishes BENCH_EVENTS (default 200) events,
 * so the main thread's profile holds only the server's side (the EventBus subscriber and the hub). Then
 * `npx tsx bench/api-profile-summary.ts <dir>/<main thread's>.cpuprofile`.
 */
import { loadavg } from 'node:os';
import { measureFanOut } from './api-fanout.ts';
import { startApiBench } from './api-setup.ts';

const bench = await startApiBench();
try {
  const clients = process.env.BENCH_CLIENTS === 'same-thread' ? 'same-thread' : 'worker';
  const result = await measureFanOut(bench.hotline, bench.court, { consoles: Number(process.env.BENCH_CONSOLES ?? 500), events: Number(process.env.BENCH_EVENTS ?? 200), clients });
  console.log({ clients, ...result, load: loadavg() });
} finally {
  await bench.close();
}
