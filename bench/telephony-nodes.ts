/**
 * Two Asterisk nodes against one: `npx tsx bench/telephony-nodes.ts` (needs PostgreSQL and Redis as for the tests).
 * The call flow of telephony-setup.ts (each caller presses 0 once answered, is queued, the operator's phone rings,
 * the caller hangs up), over two layouts in turn, each in its own processes and Redis prefix:
 * (a) one node: one stand-in (callers process, in Asterisk's place) and one controller (`ARI_NODES=node1=…`);
 * (b) two nodes: two stand-ins and two controllers, each listing both nodes and preferring its own
 *     (`ARI_NODES_PREFER`), as the cluster runs; the operators split over the nodes, so part of the calls ring
 *     an operator on the other node through `trunk-<node>` (docs/telephony.md). Arrivals split evenly over the nodes.
 * Capacity: the highest arrival rate (all nodes together) at which a round keeps up (every call rung, setups/s
 * ≥ 95% of the rate) with p99 setup latency within BENCH_P99_MS. Search: from a start rate, step ×BENCH_STEP up
 * until a round misses (down until one is met, if the first misses), then halve the gap between the last rate
 * met and the first missed BENCH_REFINE times. Layout (b) starts at (a)'s capacity. Writes its section of
 * docs/performance.md (BENCH_NO_DOCS=1 prints it instead).
 * Knobs: BENCH_P99_MS (50), BENCH_RATE_START (100), BENCH_STEP (1.25), BENCH_REFINE (2), BENCH_SECONDS (5, per
 * round), BENCH_WARMUP (2 unmeasured rounds per layout at the start rate), BENCH_OPERATORS (200), BENCH_RATE_MAX (3000).
 * A short check: BENCH_NO_DOCS=1 BENCH_SECONDS=1 BENCH_RATE_START=20 BENCH_RATE_MAX=40 BENCH_REFINE=0 BENCH_WARMUP=1.
 */
import { cpus, loadavg } from 'node:os';
import { bundleEntry } from '../platform/build-server.ts';
import { uniqueName } from '../test/harness/postgres.ts';
import { BenchChild } from './child-process.ts';
import type { RoundResult } from './telephony-callers.ts';
import { benchCourt, dropRedisPrefix, forkController, type BenchCourt } from './telephony-fixture.ts';
import { machineLoadNote, stealMeter, writePerformanceSection } from './write-section.ts';

/** A number from the environment (BENCH_…), or its default. */
const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const bound = knob('BENCH_P99_MS', 50);
const startRate = knob('BENCH_RATE_START', 100);
const step = knob('BENCH_STEP', 1.25);
const refine = knob('BENCH_REFINE', 2);
const seconds = knob('BENCH_SECONDS', 5);
const warmUpRounds = knob('BENCH_WARMUP', 2);
const operatorCount = knob('BENCH_OPERATORS', 200);
const maxRate = knob('BENCH_RATE_MAX', 3000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One round over every node at once: setups/s summed, latencies those of the worse node, calls not rung summed. */
interface Round {
  rate: number;
  setups: number;
  p50: number;
  p99: number;
  lost: number;
  /** Share of the rung calls whose operator was on the other node (rung over the trunk). */
  viaTrunk: number;
  met: boolean;
}

interface Layout {
  nodes: string[];
  callers: BenchChild<{ url: string }>[];
  controllers: Awaited<ReturnType<typeof forkController>>[];
  prefix: string;
}

/** Starts n stand-ins and n controllers (one per node, by preference) and waits until each holds its own node. */
async function startLayout(n: number, court: BenchCourt, js: { callers: string; controller: string }): Promise<Layout> {
  const nodes = Array.from({ length: n }, (_, i) => `node${i + 1}`);
  const per = Math.floor(operatorCount / n);
  const prefix = uniqueName('benchnodes');
  const layout: Layout = { nodes, callers: [], controllers: [], prefix };
  for (const [i, node] of nodes.entries()) {
    const trunks = nodes.filter((o) => o !== node).map((o) => `trunk-${o}`);
    layout.callers.push(await BenchChild.fork<{ url: string }>(js.callers, { env: { BENCH_OPERATORS: String(per), BENCH_OPERATOR_FIRST: String(i * per), BENCH_TRUNKS: trunks.join(',') } }));
  }
  const ariNodes = nodes.map((node, i) => `${node}=${layout.callers[i]!.ready.url}`).join(',');
  for (const node of nodes) {
    layout.controllers.push(await forkController(js.controller, { url: court.url, prefix, ari: { ARI_NODES: ariNodes, ARI_NODES_PREFER: node } }));
  }
  // Each controller holds its own node alone (the first one up took them all, then handed the others over), and
  // knows where every node's operators are registered, so a call to an operator elsewhere goes over the trunk.
  const settled = async () => {
    for (const [i, c] of layout.controllers.entries()) {
      if ((await c.ask<string[]>('heldNodes')).join() !== nodes[i]) return false;
      for (const [j, node] of nodes.entries()) if ((await c.ask<string | null>('registeredOn', `op${7000 + j * per}`)) !== node) return false;
    }
    return true;
  };
  const deadline = Date.now() + 30_000;
  while (!(await settled())) {
    if (Date.now() > deadline) throw new Error(`${n} nodes: controllers did not settle one per node within 30 s`);
    await sleep(100);
  }
  await layout.controllers[0]!.ask('setPresence', { userIds: court.operators.slice(0, per * n), state: 'ready' });
  return layout;
}

async function stopLayout(l: Layout): Promise<void> {
  for (const c of l.controllers) await c.cleanUp();
  for (const c of l.callers) await c.stop();
  await dropRedisPrefix(l.prefix);
}

async function round(l: Layout, rate: number): Promise<Round> {
  const rs = await Promise.all(l.callers.map((c) => c.ask<RoundResult>('round', { app: 'hotline12368', perSecond: rate / l.callers.length, seconds })));
  const setups = rs.reduce((a, r) => a + r.setupsPerSecond, 0);
  const p99 = Math.max(...rs.map((r) => r.p99));
  const lost = rs.reduce((a, r) => a + r.lost, 0);
  const rung = Math.round(rate * seconds) - lost;
  const viaTrunk = rs.reduce((a, r) => a + r.viaTrunk, 0) / Math.max(1, rung);
  const r = { rate, setups, p50: Math.max(...rs.map((x) => x.p50)), p99, lost, viaTrunk, met: lost === 0 && setups >= rate * 0.95 && p99 <= bound };
  console.log(`  ${l.nodes.length} 节点 node(s) @ ${rate}/s: ${setups.toFixed(0)} setups/s, p50 ${r.p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, 未振铃 not rung ${lost}, 跨节点 via trunk ${(viaTrunk * 100).toFixed(0)}% → ${r.met ? '达标 met' : '未达标 missed'}`);
  return r;
}

/** The highest rate met (search above), with every round tried. */
async function capacity(l: Layout, from: number): Promise<{ best: Round | undefined; tried: Round[]; capped: boolean }> {
  const tried: Round[] = [];
  for (let w = 0; w < warmUpRounds; w++) await round(l, from);
  let best: Round | undefined;
  let missed: number | undefined;
  let rate = from;
  for (;;) {
    const r = await round(l, rate);
    tried.push(r);
    if (r.met) best = r;
    else missed = rate;
    if (best && missed !== undefined) break;
    rate = Math.round(r.met ? rate * step : rate / step);
    if (rate > maxRate || rate < 1) break;
  }
  for (let k = 0; k < refine && best && missed !== undefined; k++) {
    const mid = Math.round((best.rate + missed) / 2);
    if (mid === best.rate || mid === missed) break;
    const r = await round(l, mid);
    tried.push(r);
    if (r.met) best = r;
    else missed = mid;
  }
  // No round missed below BENCH_RATE_MAX: the figure is a floor, not the capacity.
  return { best, tried, capped: missed === undefined };
}

async function main(): Promise<void> {
  const machine = await machineLoadNote();
  const court = await benchCourt(operatorCount);
  const [controller, callers] = await Promise.all([bundleEntry('bench/telephony-controller.ts', 'bench'), bundleEntry('bench/telephony-callers.ts', 'bench')]);
  const steal = stealMeter();
  const results: ({ nodes: number } & Awaited<ReturnType<typeof capacity>>)[] = [];
  try {
    for (const n of [1, 2]) {
      console.log(`${n} 个节点 / ${n} node(s), ${n} controller(s): p99 ≤ ${bound} ms`);
      const layout = await startLayout(n, court, { callers, controller });
      try {
        results.push({ nodes: n, ...(await capacity(layout, results[0]?.best?.rate ?? startRate)) });
      } finally {
        await stopLayout(layout);
      }
    }
  } finally {
    await court.drop();
  }
  const [one, two] = results as [(typeof results)[0], (typeof results)[0]];
  const ratio = one.best && two.best ? two.best.setups / one.best.setups : NaN;
  const stolen = steal();
  console.log(`两节点/单节点 two nodes / one: ${ratio.toFixed(2)}× (目标 aim ≥ 1.8×)`);
  writeSection({ one, two, ratio, machine, stolen, load: loadavg() });
}

type Capacity = Awaited<ReturnType<typeof capacity>>;

function writeSection(r: { one: Capacity; two: Capacity; ratio: number; machine: string; stolen: number | null; load: number[] }): void {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const row = (name: string, { best: b, capped }: Capacity) => (b ? `| ${name} | ${b.rate}${capped ? ` (none missed up to BENCH_RATE_MAX ${maxRate})` : ''} | ${b.setups.toFixed(0)} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} |` : `| ${name} | none met | | | |`);
  const tried = (list: Round[]) => list.map((x) => `${x.rate}/s → p99 ${x.p99.toFixed(1)} ms${x.lost ? `, ${x.lost} not rung` : ''}${x.met ? '' : ' (missed)'}`).join('; ');
  const file = writePerformanceSection(
    'telephony-nodes',
    `## Telephony: two Asterisk nodes against one (setups/s at the same p99)

Run with \`npx tsx bench/telephony-nodes.ts\` (${when} UTC, this machine: ${r.machine}; load average at the end
${r.load.map((l) => l.toFixed(1)).join(' / ')}; ${r.stolen === null ? 'steal not reported' : `steal ${(r.stolen * 100).toFixed(0)}% of the CPU time during the rounds`}). The call flow of
\`bench/telephony-setup.ts\` (callers press 0, are queued, the operator's phone rings) over (a) one ARI stand-in node
and one controller, and (b) two stand-in nodes (two processes, as two Asterisks) and two controllers, each listing
both nodes and preferring its own (\`ARI_NODES\`, \`ARI_NODES_PREFER\`, each node under its lease), ${operatorCount} ready
operators split over the nodes, so part of the calls ring an operator on the other node over \`trunk-<node>\`
(at the two-node capacity, ${r.two.best ? (r.two.best.viaTrunk * 100).toFixed(0) : '–'}% of them).
Arrivals split evenly over the nodes. A layout's capacity is the highest arrival rate at which a ${seconds} s round rings
every call, keeps setups/s at ≥ 95% of the rate and keeps p99 setup latency (caller's StasisStart to the Dial
ringing the operator; with two nodes, the worse node's) within **${bound} ms**: rates stepped ×${step} up from
${startRate}/s (two nodes: from one node's capacity) until a round missed, then the gap halved ${refine} time${refine === 1 ? '' : 's'}, one round per
rate after ${warmUpRounds} warm-up round${warmUpRounds === 1 ? '' : 's'}.

| layout | highest rate met (arrivals/s) | setups/s | p50 (ms) | p99 (ms) |
|---|---|---|---|---|
${row('one node, one controller', r.one)}
${row('two nodes, two controllers', r.two)}

**Two nodes / one: ${Number.isNaN(r.ratio) ? 'not measured' : `${r.ratio.toFixed(2)}×`} the setups/s at p99 ≤ ${bound} ms** (aim ≥ 1.8×: ${r.ratio >= 1.8 ? 'met' : '**missed**'}).

Rounds, one node: ${tried(r.one.tried)}. Two nodes: ${tried(r.two.tried)}.

This machine has ${cpus().length} cores. With two nodes, the four processes (two stand-ins, two controllers) plus PostgreSQL
and Redis share the same cores that one node's two processes had: a second node adds no CPU here, only a second
event loop per side, so the ratio on this machine says whether the work spreads without a shared bottleneck
(the lease, Redis, the cross-node registrations and trunk dials), not what a second host adds. A deployment
puts each node and its controller on its own host; there, each node's capacity is the one-node figure above, and
the shared parts (Redis, PostgreSQL) are what the ratio can lose to.`,
  );
  console.log(`wrote ${file}`);
}

await main();
