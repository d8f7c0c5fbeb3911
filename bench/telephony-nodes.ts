/**
 * Two Asterisk nodes against one: `npx tsx bench/telephony-nodes.ts` (needs PostgreSQL and Redis as for the tests).
 * The call flow of telephony-setup.ts (each caller presses 0 once answered, is queued, the operator's phone rings,
 * the caller hangs up), over two layouts in turn, each in its own processes and Redis prefix:
 * (a) one node: one stand-in (callers process, in Asterisk's place) and one controller (`ARI_NODES=node1=…`);
 * (b) two nodes: two stand-ins and two controllers, each listing both nodes and preferring its own
 *     (`ARI_NODES_PREFER`), as the cluster runs; the operators split over the nodes, so part of the calls ring
 *     an operator on the other node through `trunk-<node>` (docs/telephony.md). Arrivals split evenly over the nodes.
 * A host per node, emulated: each node's stand-in and controller run in a cgroup of their own (cpu-quota.ts) with the
 * same fixed CPU quota, BENCH_NODE_CPU cores every BENCH_NODE_CPU_PERIOD_MS, in both layouts; so one node is one
 * host of that size and two nodes are two, while PostgreSQL, Redis and this driver stay outside the quotas (the
 * shared services). On a machine with few cores, a second node otherwise adds no CPU, and the ratio could not say
 * what a second host adds. Where a cgroup cannot be made (not root, no cgroup v1 cpu controller), the run says why
 * and goes on without quotas, and so does its section; BENCH_NODE_CPU=0 turns the quotas off.
 * Capacity: the highest arrival rate (all nodes together) at which a round keeps up (every call rung, setups/s
 * ≥ 95% of the rate) with p99 setup latency within BENCH_P99_MS in most of BENCH_TRIES rounds (3; stopping once
 * decided), over all the round's calls whichever node took them
 * (the worse node's own p99 is shown beside it). Search: from a start rate, step ×BENCH_STEP up
 * until a round misses (down until one is met, if the first misses), then halve the gap between the last rate
 * met and the first missed BENCH_REFINE times. Layout (b) starts at (a)'s capacity. Writes its section of
 * docs/performance.md (telephony-nodes-section.ts; BENCH_NO_DOCS=1 prints it instead).
 * Knobs: BENCH_NODE_CPU (0.45), BENCH_NODE_CPU_PERIOD_MS (10), BENCH_P99_MS (50), BENCH_RATE_START (100),
 * BENCH_STEP (1.25), BENCH_REFINE (2), BENCH_TRIES (3), BENCH_NODE_FLAGS (Node/V8 flags for the controllers), BENCH_SECONDS (5, per round), BENCH_WARMUP (6 unmeasured rounds per layout at
 * the start rate), BENCH_OPERATORS (200), BENCH_RATE_MAX (3000); for finding where time goes, BENCH_TRACE=1 (each
 * node's setup steps after arrival per round, calls via a trunk apart, its slowest calls' timelines with their arrival
 * times, the stand-ins' and controllers' event-loop gaps and GC pauses, Redis round trips over 20 ms; stall-watch.ts),
 * BENCH_FORCE_GC_MS (with the trace: a full GC in node 1's controller that far into each round, to see what one costs)
 * and BENCH_LAYOUTS=2 (the two-node layout only, no section).
 * The run for the docs, on an idle machine (about seven minutes): BENCH_SECONDS=10 BENCH_RATE_START=30.
 * A short check: BENCH_NO_DOCS=1 BENCH_SECONDS=1 BENCH_RATE_START=20 BENCH_RATE_MAX=40 BENCH_REFINE=0 BENCH_WARMUP=1 BENCH_TRIES=1.
 */
import { cpus, loadavg } from 'node:os';
import { bundleEntry } from '../platform/build-server.ts';
import { uniqueName } from '../test/harness/postgres.ts';
import { BenchChild } from './child-process.ts';
import { cfsSliceUs, CpuQuotaGroup, quotaUse } from './cpu-quota.ts';
import type { RoundResult } from './telephony-callers.ts';
import { benchCourt, dropRedisPrefix, forkController, type BenchCourt } from './telephony-fixture.ts';
import { cpuNote, writeNodesSection, type Capacity, type CpuUse, type Emulation, type Round } from './telephony-nodes-section.ts';
import { machineLoadNote, stealMeter } from './write-section.ts';
import { watchRedisPings } from './stall-watch.ts';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../test/harness/redis.ts';

/** A number from the environment (BENCH_…), or its default. */
const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const method = {
  bound: knob('BENCH_P99_MS', 50),
  startRate: knob('BENCH_RATE_START', 100),
  step: knob('BENCH_STEP', 1.25),
  refine: knob('BENCH_REFINE', 2),
  seconds: knob('BENCH_SECONDS', 5),
  // Rounds per rate, met by a majority (stopping once decided): one stall in a round no longer decides a rate.
  tries: knob('BENCH_TRIES', 3),
  // Six: under a quota the JIT's and GC's threads draw on the node's CPU too, and the first rounds at 30/s ran
  // p99 430, 139, 96 ms before settling near 20 (2026-12-06): two warm-up rounds let that decide the search.
  warmUpRounds: knob('BENCH_WARMUP', 6),
  operatorCount: knob('BENCH_OPERATORS', 200),
  maxRate: knob('BENCH_RATE_MAX', 3000),
};
const { bound, step, refine, seconds, tries, warmUpRounds, operatorCount, maxRate } = method;
const nodeCpu = knob('BENCH_NODE_CPU', 0.45);
// 10 ms, not the kernel's 100 ms default: a node out of quota stops until the next period, and a 55 ms stop
// would be past the p99 bound on its own.
const nodeCpuPeriodMs = knob('BENCH_NODE_CPU_PERIOD_MS', 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// BENCH_NODE_FLAGS: Node/V8 flags for the controllers (e.g. --trace-gc), space-separated, added to the fixture's own.
const controllerFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
// BENCH_LAYOUTS=2: only the two-node layout (when looking into it; no section is written then).
const layouts = (process.env.BENCH_LAYOUTS ?? '1,2').split(',').map(Number);

interface Layout {
  nodes: string[];
  callers: BenchChild<{ url: string }>[];
  controllers: Awaited<ReturnType<typeof forkController>>[];
  /** One CPU quota per node (empty without emulation). */
  hosts: CpuQuotaGroup[];
  prefix: string;
}

/** Whether each node can get a host of its own here: tries one quota group (and removes it), or says why not. */
async function emulation(): Promise<Emulation> {
  if (!(nodeCpu > 0)) return { on: false, reason: `turned off (BENCH_NODE_CPU=${process.env.BENCH_NODE_CPU})` };
  try {
    const probe = CpuQuotaGroup.create('probe', nodeCpu, nodeCpuPeriodMs);
    const e = { on: true as const, cores: probe.cores, quotaUs: probe.quotaUs, periodUs: probe.periodUs, sliceUs: cfsSliceUs() };
    await probe.remove();
    return e;
  } catch (err) {
    return { on: false, reason: `the CPU quota could not be set up: ${(err as Error).message}` };
  }
}

/** Starts n stand-ins and n controllers (one per node, by preference) and waits until each holds its own node. */
async function startLayout(n: number, court: BenchCourt, js: { callers: string; controller: string }, e: Emulation): Promise<Layout> {
  const nodes = Array.from({ length: n }, (_, i) => `node${i + 1}`);
  const prefix = uniqueName('benchnodes');
  const layout: Layout = { nodes, callers: [], controllers: [], hosts: [], prefix };
  try {
    await fillLayout(layout, n, court, js, e);
    return layout;
  } catch (err) {
    // A start that failed half-way leaves no process or quota group behind.
    await stopLayout(layout);
    throw err;
  }
}

async function fillLayout(layout: Layout, n: number, court: BenchCourt, js: { callers: string; controller: string }, e: Emulation): Promise<void> {
  const { nodes, prefix } = layout;
  const per = Math.floor(operatorCount / n);
  if (e.on) for (const node of nodes) layout.hosts.push(CpuQuotaGroup.create(`${n}-${node}`, nodeCpu, nodeCpuPeriodMs));
  // Forked inside the node's quota group where there is one (the child starts in it), else as is.
  const onHost = <T>(i: number, spawn: () => Promise<T>) => layout.hosts[i]?.forkInside(spawn) ?? spawn();
  for (const [i, node] of nodes.entries()) {
    const trunks = nodes.filter((o) => o !== node).map((o) => `trunk-${o}`);
    layout.callers.push(await onHost(i, () => BenchChild.fork<{ url: string }>(js.callers, { env: { BENCH_OPERATORS: String(per), BENCH_NODE: node, BENCH_OPERATOR_FIRST: String(i * per), BENCH_TRUNKS: trunks.join(',') } })));
  }
  const ariNodes = nodes.map((node, i) => `${node}=${layout.callers[i]!.ready.url}`).join(',');
  for (const [i, node] of nodes.entries()) {
    layout.controllers.push(await onHost(i, () => forkController(js.controller, { url: court.url, prefix, ari: { ARI_NODES: ariNodes, ARI_NODES_PREFER: node }, extraFlags: controllerFlags })));
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
}

/** Every step is tried whatever the others did (a child that will not stop must not leave a quota group behind). */
async function stopLayout(l: Layout): Promise<void> {
  const steps = [...l.controllers.map((c) => () => c.cleanUp()), ...l.callers.map((c) => () => c.stop()), ...l.hosts.map((h) => () => h.remove()), () => dropRedisPrefix(l.prefix)];
  const failures: string[] = [];
  for (const step of steps) await step().catch((err: Error) => failures.push(err.message));
  if (failures.length > 0) console.error(`stopping the layout: ${failures.join('; ')}`);
}

/** The share of the machine's CPU time (all cores, all processes) busy from now until the returned function is called. */
function machineBusyMeter(): () => number {
  const total = () => cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, all: acc.all + Object.values(c.times).reduce((a, b) => a + b, 0) }), { idle: 0, all: 0 });
  const before = total();
  return () => {
    const after = total();
    return 1 - (after.idle - before.idle) / Math.max(1, after.all - before.all);
  };
}

/** Starts measuring where the CPU goes (each node's quota group, each controller, the machine); the result stops it. */
async function cpuMeter(l: Layout): Promise<() => Promise<CpuUse>> {
  const controllerCpuMs = () => Promise.all(l.controllers.map(async (c) => (await c.ask<{ cpuMs: number }>('usage')).cpuMs));
  const ctlBefore = await controllerCpuMs();
  const before = l.hosts.map((h) => h.counters());
  const busy = machineBusyMeter();
  const t0 = performance.now();
  return async () => {
    const wallMs = performance.now() - t0;
    const machineBusy = busy();
    const nodeCpu = l.hosts.map((h, i) => quotaUse(before[i]!, h.counters(), wallMs));
    const controllerCpu = (await controllerCpuMs()).map((ms, i) => (ms - ctlBefore[i]!) / wallMs);
    return { nodeCpu, controllerCpu, machineBusy };
  };
}

/** Each node's CPU with no calls (lease renewals, timers): what every round pays before its calls. */
async function idleCpu(l: Layout): Promise<CpuUse> {
  const stop = await cpuMeter(l);
  await sleep(3000);
  return stop();
}

const pingRedis = process.env.BENCH_TRACE ? new Redis(testRedisUrl) : undefined;
const redisPings = pingRedis ? watchRedisPings(pingRedis) : undefined;

async function round(l: Layout, rate: number, e: Emulation): Promise<Round> {
  const stop = await cpuMeter(l);
  // BENCH_FORCE_GC_MS (with BENCH_TRACE): a full GC in node 1's controller that far into the round, to see what one costs there.
  const forceGcMs = Number(process.env.BENCH_FORCE_GC_MS ?? 0);
  const forced = forceGcMs > 0 ? sleep(forceGcMs).then(async () => {
    const t0 = Date.now();
    await l.controllers[0]!.ask('rssAfterGc');
    console.log(`forced full GC in node1's controller at ${t0}: answered in ${Date.now() - t0} ms`);
  }) : undefined;
  const rs = await Promise.all(l.callers.map((c) => c.ask<RoundResult>('round', { app: 'hotline12368', perSecond: rate / l.callers.length, seconds })));
  await forced;
  const { nodeCpu, controllerCpu, machineBusy } = await stop();
  if (redisPings) console.log('redis pings over 20 ms', JSON.stringify(redisPings()));
  if (process.env.BENCH_TRACE) for (const [i, c] of l.controllers.entries()) console.log(`controller ${l.nodes[i]} stalls`, JSON.stringify(await c.ask('stalls')));
  const setups = rs.reduce((a, r) => a + r.setupsPerSecond, 0);
  // The layout's callers as one population (a caller does not choose a node): its p50 and p99; the worse node's beside.
  const pooled = rs.flatMap((r) => r.latencies).sort((x, y) => x - y);
  const pick = (q: number) => pooled[Math.min(pooled.length - 1, Math.floor(q * pooled.length))] ?? NaN;
  const p99 = pick(0.99);
  const worstNodeP99 = Math.max(...rs.map((r) => r.p99));
  const lost = rs.reduce((a, r) => a + r.lost, 0);
  const rung = Math.round(rate * seconds) - lost;
  const viaTrunk = rs.reduce((a, r) => a + r.viaTrunk, 0) / Math.max(1, rung);
  const r = { rate, setups, p50: pick(0.5), p99, worstNodeP99, lost, viaTrunk, nodeCpu, controllerCpu, machineBusy, met: lost === 0 && setups >= rate * 0.95 && p99 <= bound };
  console.log(`  ${l.nodes.length} 节点 node(s) @ ${rate}/s: ${setups.toFixed(0)} setups/s, p50 ${r.p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms${rs.length > 1 ? ` (worse node ${worstNodeP99.toFixed(1)})` : ''}, 未振铃 not rung ${lost}, 跨节点 via trunk ${(viaTrunk * 100).toFixed(0)}%; ${cpuNote(r, e)} → ${r.met ? '达标 met' : '未达标 missed'}`);
  return r;
}

/**
 * A rate's verdict from up to `tries` rounds: met when more than half of them are (it stops as soon as that is
 * decided; a tie is a miss), so a single stall (a collection, the host's scheduler) neither makes nor breaks a rate.
 * The rate's figures are those of the worst round that agrees with the verdict (highest p99).
 */
async function verdict(l: Layout, rate: number, e: Emulation, tried: Round[]): Promise<Round> {
  const rs: Round[] = [];
  const needed = Math.floor(tries / 2) + 1;
  const count = (met: boolean) => rs.filter((r) => r.met === met).length;
  while (rs.length < tries && count(true) < needed && count(false) < needed) {
    const r = await round(l, rate, e);
    rs.push(r);
    tried.push(r);
  }
  const met = count(true) >= needed;
  const agreeing = rs.filter((r) => r.met === met);
  const worst = (agreeing.length > 0 ? agreeing : rs).reduce((a, b) => (b.p99 > a.p99 ? b : a));
  return { ...worst, met };
}

/** The highest rate met (search above), with every round tried. */
async function capacity(l: Layout, from: number, e: Emulation): Promise<Capacity> {
  const tried: Round[] = [];
  const idle = await idleCpu(l);
  console.log(`  空闲 idle: ${cpuNote(idle, e)}`);
  for (let w = 0; w < warmUpRounds; w++) await round(l, from, e);
  let best: Round | undefined;
  let missed: number | undefined;
  let rate = from;
  for (;;) {
    const r = await verdict(l, rate, e, tried);
    if (r.met) best = r;
    else missed = rate;
    if (best && missed !== undefined) break;
    rate = Math.round(r.met ? rate * step : rate / step);
    if (rate > maxRate || rate < 1) break;
  }
  for (let k = 0; k < refine && best && missed !== undefined; k++) {
    const mid = Math.round((best.rate + missed) / 2);
    if (mid === best.rate || mid === missed) break;
    const r = await verdict(l, mid, e, tried);
    if (r.met) best = r;
    else missed = mid;
  }
  // No round missed below BENCH_RATE_MAX: the figure is a floor, not the capacity.
  return { best, tried, capped: missed === undefined, idle };
}

async function main(): Promise<void> {
  const machine = await machineLoadNote();
  const e = await emulation();
  console.log(e.on ? `每节点一台主机 a host per node: ${e.cores} core each (cgroup cpu quota ${e.quotaUs} µs every ${e.periodUs} µs)` : `没有 CPU 配额 no CPU quotas, ${e.reason}: the nodes share the machine's cores`);
  const court = await benchCourt(operatorCount);
  const [controller, callers] = await Promise.all([bundleEntry('bench/telephony-controller.ts', 'bench'), bundleEntry('bench/telephony-callers.ts', 'bench')]);
  const steal = stealMeter();
  const results: ({ nodes: number } & Capacity)[] = [];
  try {
    for (const n of layouts) {
      console.log(`${n} 个节点 / ${n} node(s), ${n} controller(s): p99 ≤ ${bound} ms`);
      const layout = await startLayout(n, court, { callers, controller }, e);
      try {
        results.push({ nodes: n, ...(await capacity(layout, results[0]?.best?.rate ?? method.startRate, e)) });
      } finally {
        await stopLayout(layout);
      }
    }
  } finally {
    await court.drop();
  }
  if (results.length < 2) return;
  const [one, two] = [results[0]!, results[1]!];
  const ratio = one.best && two.best ? two.best.setups / one.best.setups : NaN;
  const stolen = steal();
  console.log(`两节点/单节点 two nodes / one: ${ratio.toFixed(2)}× (目标 aim ≥ 1.8×)`);
  const file = writeNodesSection({ one, two, ratio, machine, stolen, load: loadavg(), emulation: e, m: method });
  console.log(`wrote ${file}`);
}

try {
  await main();
} finally {
  pingRedis?.disconnect();
}
