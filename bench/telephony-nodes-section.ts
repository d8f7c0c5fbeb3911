/** telephony-nodes.ts's results and its section of docs/performance.md (method, table, what the ratio shows). */
import { cpus } from 'node:os';
import { writePerformanceSection } from './write-section.ts';

/** Where the CPU went over a stretch of time, in cores on average. */
export interface CpuUse {
  /** Per node, with CPU quotas: cores used (null without cpuacct) and the share of periods throttled. */
  nodeCpu: { cores: number | null; throttled: number }[];
  /** Per node, the controller process's own CPU (the rest of a node's is its stand-in's). */
  controllerCpu: number[];
  /** Share of the whole machine's CPU time busy (every process, quota or not). */
  machineBusy: number;
}

/** One round over every node at once: setups/s summed, latencies over all its calls, calls not rung summed. */
export interface Round extends CpuUse {
  rate: number;
  setups: number;
  p50: number;
  p99: number;
  /** The p99 of the node whose calls fared worst (the same as p99 with one node). */
  worstNodeP99: number;
  lost: number;
  /** Share of the rung calls whose operator was on the other node (rung over the trunk). */
  viaTrunk: number;
  met: boolean;
}

export interface Capacity {
  best: Round | undefined;
  tried: Round[];
  /** No round missed below BENCH_RATE_MAX: the figure is a floor, not the capacity. */
  capped: boolean;
  /** Where the CPU went with the layout up and no calls, before its rounds. */
  idle: CpuUse;
}

/** How each node was made a host of its own, or why it was not. */
export type Emulation = { on: true; cores: number; quotaUs: number; periodUs: number; sliceUs: number | null } | { on: false; reason: string };

export interface Method {
  bound: number;
  startRate: number;
  step: number;
  refine: number;
  seconds: number;
  tries: number;
  warmUpRounds: number;
  operatorCount: number;
  maxRate: number;
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** Per node, cores used of the quota, the controller's part and throttling; the machine ("node CPU 0.44 of 0.45 core, …"). */
export function cpuNote(r: CpuUse, e: Emulation): string {
  const controllers = `controller${r.controllerCpu.length > 1 ? 's' : ''} ${r.controllerCpu.map((c) => c.toFixed(2)).join(', ')} core`;
  if (!e.on) return `${controllers}; machine ${pct(r.machineBusy)} busy`;
  const used = r.nodeCpu.map((c) => (c.cores === null ? '?' : c.cores.toFixed(2))).join(', ');
  return `node CPU ${used} of ${e.cores} core, ${controllers}; throttled ${r.nodeCpu.map((c) => pct(c.throttled)).join(', ')} of periods; machine ${pct(r.machineBusy)} busy`;
}

/** CPU per call set up at a layout's capacity, all nodes together, above what they use idle (ms): nodes', controllers'. */
function perCall(c: Capacity): string {
  const r = c.best;
  if (!r) return 'no round met';
  const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
  const ms = (round: number[], idle: number[]) => (((sum(round) - sum(idle)) * 1000) / r.setups).toFixed(1);
  const withNodes = r.nodeCpu.length > 0 && [...r.nodeCpu, ...c.idle.nodeCpu].every((n) => n.cores !== null);
  const nodes = withNodes ? `${ms(r.nodeCpu.map((n) => n.cores!), c.idle.nodeCpu.map((n) => n.cores!))} ms, of which the controllers ` : 'the controllers ';
  return `${nodes}${ms(r.controllerCpu, c.idle.controllerCpu)} ms`;
}

/** The kernel gives a group's quota to each core in slices: under two slices a node mostly runs one core at a time. */
function slice(e: Extract<Emulation, { on: true }>): string {
  if (e.sliceUs === null) return '';
  const note = `, handed to each core in slices of up to ${(e.sliceUs / 1000).toFixed(1)} ms (\`sched_cfs_bandwidth_slice_us\`)`;
  return e.quotaUs < 2 * e.sliceUs ? `${note}, so with this quota its processes mostly run one core at a time` : note;
}

function quotaText(e: Emulation, one: Capacity, two: Capacity): string {
  if (!e.on) {
    return `**No CPU quotas: ${e.reason}.** This run did not emulate a host per node. This machine has ${cpus().length} cores; with two
nodes, the four processes (two stand-ins, two controllers) plus PostgreSQL and Redis share the same cores that one
node's two processes had: a second node adds no CPU here, only a second event loop per side, so the ratio says
whether the work spreads without a shared bottleneck only where the machine has cores to spare, and not what a
second host adds.`;
  }
  const at = (c: Capacity) => (c.best ? cpuNote(c.best, e) : 'no round met');
  const share = `${e.cores}`;
  return `**Each node on a host of its own, emulated with CPU quotas.** This machine has ${cpus().length} cores. In both layouts, each
node's processes (its stand-in and its controller, and anything they start) ran in a Linux cgroup of their own (v1
\`cpu\` controller, CFS bandwidth) capped at **${share} of a core**: \`cpu.cfs_quota_us\` ${e.quotaUs} in every
\`cpu.cfs_period_us\` ${e.periodUs}, shared by the node's two processes (\`BENCH_NODE_CPU\`, \`BENCH_NODE_CPU_PERIOD_MS\`). So one
node is one host of ${share} core and two nodes are two such hosts; PostgreSQL, Redis and the bench driver ran outside
the quotas, on the rest of the machine, as the services both nodes share. At the capacity rounds: one node, ${at(one)};
two nodes, ${at(two)}.

What the ratio shows: with each node's CPU fixed, whether a second node and its controller add a node's worth of
setups, that is, whether the calls spread over the controllers with nothing shared (the node leases, Redis, the
cross-node registrations and trunk dials, PostgreSQL) taking it back. Close to 2× says nothing shared held two nodes
back. Under it, the CPU figures say where to look: more CPU per call with two nodes (below) means each node works
for the other's calls; the same CPU per call with the nodes seldom throttled means waiting on a shared part; the
machine near 100% busy means the shared services were short of CPU on this machine, as they would not be on hosts
of their own. What it does not show: Asterisk's capacity per host (the stand-in has no SIP or media work), nor a real host's
latency: a quota is not a slower core. A node that has spent its ${(e.quotaUs / 1000).toFixed(1)} ms in a period stops until the next
one (up to ${((e.periodUs - e.quotaUs) / 1000).toFixed(1)} ms), and its two processes draw on one quota across all the cores${slice(e)}. Nor the shared services at scale:
here they run beside the nodes, in a deployment on hosts of their own, sized by docs/deployment.md.`;
}

export function writeNodesSection(r: { one: Capacity; two: Capacity; ratio: number; machine: string; stolen: number | null; load: number[]; emulation: Emulation; m: Method }): string {
  const { m, emulation: e } = r;
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const row = (name: string, { best: b, capped }: Capacity) => (b ? `| ${name} | ${b.rate}${capped ? ` (none missed up to BENCH_RATE_MAX ${m.maxRate})` : ''} | ${b.setups.toFixed(0)} | ${b.p50.toFixed(1)} | ${b.p99.toFixed(1)} | ${b.worstNodeP99.toFixed(1)} |` : `| ${name} | none met | | | | |`);
  const tried = (list: Round[]) => list.map((x) => `${x.rate}/s → p99 ${x.p99.toFixed(1)} ms${x.nodeCpu.length > 1 || x.controllerCpu.length > 1 ? ` (worse node ${x.worstNodeP99.toFixed(1)})` : ''}${x.lost ? `, ${x.lost} not rung` : ''}${x.met ? '' : ' (missed)'} (${cpuNote(x, e)})`).join('; ');
  const knobs = e.on ? `BENCH_NODE_CPU=${e.cores} BENCH_NODE_CPU_PERIOD_MS=${e.periodUs / 1000} ` : '';
  return writePerformanceSection(
    'telephony-nodes',
    `## Telephony: two Asterisk nodes against one (setups/s at the same p99)

Run with \`${knobs}npx tsx bench/telephony-nodes.ts\` (${when} UTC, this machine: ${r.machine}; load average at the end
${r.load.map((l) => l.toFixed(1)).join(' / ')}; ${r.stolen === null ? 'steal not reported' : `steal ${pct(r.stolen)} of the CPU time during the rounds`}). The call flow of
\`bench/telephony-setup.ts\` (callers press 0, are queued, the operator's phone rings) over (a) one ARI stand-in node
and one controller, and (b) two stand-in nodes (two processes, as two Asterisks) and two controllers, each listing
both nodes and preferring its own (\`ARI_NODES\`, \`ARI_NODES_PREFER\`, each node under its lease), ${m.operatorCount} ready
operators split over the nodes, so part of the calls ring an operator on the other node over \`trunk-<node>\`
(at the two-node capacity, ${r.two.best ? pct(r.two.best.viaTrunk) : '–'} of them).
Arrivals split evenly over the nodes. A layout's capacity is the highest arrival rate at which a ${m.seconds} s round rings
every call, keeps setups/s at ≥ 95% of the rate and keeps p99 setup latency (caller's StasisStart to the Dial
ringing the operator; with two nodes, over both nodes' calls together, as callers meet them: a caller does not
choose a node; the worse node's own p99 is given beside it) within **${m.bound} ms**: rates stepped ×${m.step} up from
${m.startRate}/s (two nodes: from one node's capacity) until a rate missed, then the gap halved ${m.refine} time${m.refine === 1 ? '' : 's'}, after ${m.warmUpRounds} warm-up
round${m.warmUpRounds === 1 ? '' : 's'}. ${m.tries > 1 ? `A rate is met when more than half of up to ${m.tries} rounds at it are (no more rounds once that is decided;
a tie is a miss), so one stall in a round neither makes nor breaks it; its figures are those of the worst round that
agrees with the verdict.` : 'One round per rate.'} Pooling the two nodes' calls halves the weight of one node's stall in
the layout's p99 (a node's 1% is half of the pooled 1%), which is why the worse node's p99 is given beside it.

${quotaText(e, r.one, r.two)}

| layout | highest rate met (arrivals/s) | setups/s | p50 (ms) | p99 (ms) | worse node's p99 (ms) |
|---|---|---|---|---|---|
${row(e.on ? `one node (${e.cores} core), one controller` : 'one node, one controller', r.one)}
${row(e.on ? `two nodes (${e.cores} core each), two controllers` : 'two nodes, two controllers', r.two)}

With no calls, before the rounds: one node, ${cpuNote(r.one.idle, e)}; two nodes, ${cpuNote(r.two.idle, e)}.
CPU per call set up at the capacity rounds, above that idle use: one node ${perCall(r.one)}; two nodes ${perCall(r.two)}. The same
figure in both layouts says each node does only its own calls' work; a higher one with two nodes, that each does
work for the other's calls too (cross-node registrations, trunk dials, shared queue events), which the ratio pays.

**Two nodes / one: ${Number.isNaN(r.ratio) ? 'not measured' : `${r.ratio.toFixed(2)}×`} the setups/s at p99 ≤ ${m.bound} ms** (aim ≥ 1.8×: ${r.ratio >= 1.8 ? 'met' : '**missed**'}${e.on ? '' : '; no CPU quotas, see above'}).

Rounds, one node: ${tried(r.one.tried)}. Two nodes: ${tried(r.two.tried)}.`,
  );
}
