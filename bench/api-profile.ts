/**
 * Where an API request's time goes: `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/api-profile.ts [api|bare]`
 * loads GET /api/departments (or the bare route) for BENCH_SECONDS (default 10) with autocannon in a worker
 * thread, so the main thread's profile holds only the server's work. Then
 * `npx tsx bench/api-profile-summary.ts <dir>/<main thread's>.cpuprofile` lists the top self-time functions.
 */
import autocannon from 'autocannon';
import { startApiBench } from './api-setup.ts';

const target = process.argv[2] === 'bare' ? 'bare' : 'api';
const bench = await startApiBench();
try {
  const result = await autocannon({
    url: target === 'api' ? bench.apiUrl : bench.bare.url,
    connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
    duration: Number(process.env.BENCH_SECONDS ?? 10),
    headers: target === 'api' ? { cookie: bench.cookie } : {},
    workers: 1,
  });
  console.log({ target, p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, non2xx: result.non2xx });
} finally {
  await bench.close();
}
