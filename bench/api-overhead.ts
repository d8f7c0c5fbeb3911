/**
 * API benchmark: `npx tsx bench/api-overhead.ts` (needs PostgreSQL and Redis as for the tests).
 * 1. p99 latency, throughput and server CPU per request of GET /api/departments (session cookie, role
 *    hook, zod-validated query, schema-serialized response, one PostgreSQL query) against a bare Fastify
 *    route running the same drizzle query, in the same run. Load comes from autocannon in child processes.
 *    BENCH_MODE=alternating (default): the bare route is in this process on the same pool, and each round
 *    loads one side, then the other (the first side alternates). BENCH_MODE=concurrent: the bare route is
 *    in a process of its own (api-bare-server.ts) and both are loaded at the same time. After a warm-up,
 *    BENCH_ROUNDS short rounds; the result is the median over rounds of each round's p99 ratio, with the range.
 * 2. Websocket fan-out: one event to 500 connected consoles through the EventBus (Redis pub/sub) and
 *    the hub; delivery latency from publish to receipt, p99 over several events (bench/api-fanout.ts): the
 *    consoles in a worker thread (the figure held to the target), then in the server's own thread (the earlier method).
 * Writes its section of docs/performance.md.
 */
import { loadavg } from 'node:os';
import { measureFanOut } from './api-fanout.ts';
import { load, machineCpu, type LoadResult } from './api-load.ts';
import { ownCpu, startApiBench, type ApiBench } from './api-setup.ts';
import { machineLoadNote, writePerformanceSection } from './write-section.ts';

const mode = process.env.BENCH_MODE === 'concurrent' ? 'concurrent' : 'alternating';
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const consoles = Number(process.env.BENCH_CONSOLES ?? 500);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const loadAverage = () => loadavg().map((l) => l.toFixed(1)).join(' / ');

interface Side extends LoadResult {
  /** The server process's CPU time (user + system) per request during the round, in microseconds. */
  cpuPerRequest: number;
}
interface Round {
  bare: Side;
  api: Side;
  /** Share of the whole machine's CPU time that was busy during the round (every process, ours included). */
  machineBusy: number;
}

interface Target {
  url: string;
  headers?: Record<string, string>;
  cpu(): Promise<number>;
}

/**
 * One round. alternating: each side loaded alone, one after the other (the first side alternates by round),
 * each server's CPU measured around its own load. concurrent: both loaded at the same time, each by its own
 * autocannon process, the baseline in a process of its own.
 */
async function round(api: Target, bare: Target, duration: number, index: number): Promise<Round> {
  const machine = machineCpu();
  const measure = async (target: Target) => {
    const cpu = await target.cpu();
    const result = await load(target.url, { connections, seconds: duration, headers: target.headers });
    return { ...result, cpuPerRequest: ((await target.cpu()) - cpu) / Math.max(1, result.requests) };
  };
  let sides: { api: Side; bare: Side };
  if (mode === 'concurrent') {
    const [apiCpu, bareCpu] = [await api.cpu(), await bare.cpu()];
    const [apiLoad, bareLoad] = await Promise.all([
      load(api.url, { connections, seconds: duration, headers: api.headers }),
      load(bare.url, { connections, seconds: duration }),
    ]);
    sides = {
      api: { ...apiLoad, cpuPerRequest: ((await api.cpu()) - apiCpu) / Math.max(1, apiLoad.requests) },
      bare: { ...bareLoad, cpuPerRequest: ((await bare.cpu()) - bareCpu) / Math.max(1, bareLoad.requests) },
    };
  } else if (index % 2 === 0) {
    const bareSide = await measure(bare);
    sides = { bare: bareSide, api: await measure(api) };
  } else {
    const apiSide = await measure(api);
    sides = { api: apiSide, bare: await measure(bare) };
  }
  const after = machineCpu();
  return { ...sides, machineBusy: machine && after ? (after.busy - machine.busy) / Math.max(1, after.total - machine.total) : NaN };
}

async function measureOverhead(bench: ApiBench): Promise<Round[]> {
  const api: Target = { url: bench.apiUrl, headers: { cookie: bench.cookie }, cpu: ownCpu };
  const bare: Target = mode === 'concurrent' ? await bench.startSeparateBare() : bench.bare;
  // Warm-up: JIT, the pools' connections, the session cache, PostgreSQL's plan and buffers.
  await round(api, bare, warmupSeconds, 0);
  const results: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const result = await round(api, bare, seconds, r);
    results.push(result);
    console.log(`round ${r + 1}: p99 bare ${result.bare.p99} ms, api ${result.api.p99} ms (${fixed(result.api.p99 / result.bare.p99, 2)}×); CPU/request ${fixed(result.bare.cpuPerRequest, 0)} / ${fixed(result.api.cpuPerRequest, 0)} µs; machine busy ${fixed(100 * result.machineBusy, 0)}%`);
  }
  return results;
}

const startedAt = new Date();
const loadBefore = loadAverage();
const machineNote = await machineLoadNote();
const bench = await startApiBench();
try {
  const results = await measureOverhead(bench);
  const loadAfterHttp = loadAverage();
  const loadBeforeFanOut = loadAverage();
  const fanOut = await measureFanOut(bench.hotline, bench.court, { consoles, clients: 'worker' });
  const fanOutSameThread = await measureFanOut(bench.hotline, bench.court, { consoles, clients: 'same-thread' });
  const loadAfterFanOut = loadAverage();
  console.log({ fanOut, fanOutSameThread });

  const ratios = {
    p99: results.map((r) => r.api.p99 / r.bare.p99),
    p50: results.map((r) => r.api.p50 / r.bare.p50),
    rps: results.map((r) => r.bare.rps / r.api.rps),
    cpu: results.map((r) => r.api.cpuPerRequest / r.bare.cpuPerRequest),
  };
  const side = (pick: (r: Round) => Side) => ({
    p50: median(results.map((r) => pick(r).p50)),
    p99: median(results.map((r) => pick(r).p99)),
    rps: median(results.map((r) => pick(r).rps)),
    cpu: median(results.map((r) => pick(r).cpuPerRequest)),
  });
  const [bare, api] = [side((r) => r.bare), side((r) => r.api)];
  const busy = results.map((r) => r.machineBusy);
  const p99Median = median(ratios.p99);
  const within = ratios.p99.filter((r) => r <= 1.3).length;
  const spread = (values: number[]) => `${fixed(Math.min(...values), 2)}–${fixed(Math.max(...values), 2)}×`;
  const when = startedAt.toISOString().slice(0, 16).replace('T', ' ');

  const section = `## API: authenticated, validated route vs bare Fastify; websocket fan-out

\`${mode === 'concurrent' ? 'BENCH_MODE=concurrent ' : ''}npx tsx bench/api-overhead.ts\`, ${when} UTC, on this machine (${machineNote};
load average ${loadBefore} before, ${loadAfterHttp} after the HTTP rounds; the whole machine was
${fixed(100 * Math.min(...busy), 0)}–${fixed(100 * Math.max(...busy), 0)}% busy during the rounds). PostgreSQL and Redis are local.

The API route is \`GET /api/departments\` as an operator: session cookie checked (in-process cache of 2 s in
front of PostgreSQL), role hook, zod-validated (empty, strict) query, one PostgreSQL query, response written
by the serializer compiled from its schema, metrics; the product's logger at its default level (\`info\`, to
/dev/null), at which a successful request writes no line. The baseline is a bare Fastify server (no hooks, no
logger) running the same drizzle query; load from autocannon in child processes, ${connections} connections per side on
loopback. ${mode === 'concurrent'
    ? `Mode \`concurrent\`: the baseline runs in a process of its own on a pool of the same size, and both servers are
loaded at the same time, so bursts of the machine's other work hit both alike; each process's CPU counts its whole
weight (the product process also holds every capability's modules, timers and Redis connections).`
    : `Mode \`alternating\` (the default): the baseline runs in the same process on the same pool, so only the
per-request work differs; each round loads one side alone, then the other, the first side alternating by round.`}
A ${warmupSeconds} s warm-up, then ${rounds} rounds of ${seconds} s per side. Figures are medians over the rounds; a ratio is taken
within each round, then its median and range over the rounds are given.

| | p50 (ms) | p99 (ms) | requests/s | server CPU per request (µs) |
|---|---|---|---|---|
| bare Fastify route | ${fixed(bare.p50)} | ${fixed(bare.p99)} | ${fixed(bare.rps, 0)} | ${fixed(bare.cpu, 0)} |
| API route | ${fixed(api.p50)} | ${fixed(api.p99)} | ${fixed(api.rps, 0)} | ${fixed(api.cpu, 0)} |
| **ratio API / bare**, median of rounds (range) | ${fixed(median(ratios.p50), 2)}× (${spread(ratios.p50)}) | **${fixed(p99Median, 2)}×** (${spread(ratios.p99)}) | ${fixed(median(ratios.rps), 2)}× fewer (${spread(ratios.rps)}) | ${fixed(median(ratios.cpu), 2)}× (${spread(ratios.cpu)}) |

Target: p99 ratio ≤ 1.3×. This run: median **${fixed(p99Median, 2)}×**, ${p99Median <= 1.3 ? 'met' : '**not met**'}; ${within} of ${rounds} rounds were within it.
Per-round p99 ratios: ${ratios.p99.map((r) => fixed(r, 2)).join(', ')}.

Websocket fan-out: ${consoles} consoles connected to one API process, ${fanOut.events} \`call.offered\` events published one at a
time through the EventBus (Redis pub/sub) and the hub (load average ${loadBeforeFanOut} before, ${loadAfterFanOut} after).
Delivery latency from publish to receipt, all deliveries of all events:

| consoles run | delivered | p50 (ms) | **p99 (ms)** | max (ms) |
|---|---|---|---|---|
| in a worker thread (own event loop, as browsers elsewhere) | ${fanOut.delivered} of ${fanOut.expected} | ${fixed(fanOut.p50)} | **${fixed(fanOut.p99)}** | ${fixed(fanOut.max)} |
| in the server's own thread (earlier method: their receiving work shares the server's loop) | ${fanOutSameThread.delivered} of ${fanOutSameThread.expected} | ${fixed(fanOutSameThread.p50)} | ${fixed(fanOutSameThread.p99)} | ${fixed(fanOutSameThread.max)} |

Target ≤ 100 ms (p99): ${fanOut.p99 <= 100 ? 'met' : '**not met**'} with the consoles in their own thread.`;
  console.log(`wrote ${writePerformanceSection('api', section)}`);
} finally {
  await bench.close();
}
