/**
 * The telephony benchmark's controller: the hotline (telephony role) alone in its own process, compiled as
 * npm start runs it, configured from the environment the parent gives. Serves the parent's requests.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startHotline } from '../hotline.ts';
import { loadConfig } from '../platform/config/load.ts';
import { createLogger } from '../platform/logger.ts';
import { serviceOf } from '../platform/deps.ts';
import type { ChosenState } from '../telephony/presence/presence-state.ts';
import '../telephony/plugin.ts';
import { serveParent, usage } from './child-process.ts';
import { watchStalls } from './stall-watch.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hotline = await startHotline(loadConfig({ env: process.env }), createLogger({ level: 'warn', pretty: false }));
const rt = serviceOf(hotline.deps, 'telephonyRuntime');
const loopDelay = monitorEventLoopDelay({ resolution: 2 });
loopDelay.enable();
const stalls = process.env.BENCH_TRACE ? watchStalls() : undefined;
// With ARI_NODES: the nodes this process holds, connected (telephony-nodes.ts waits until each node has its controller).
const heldNodes = () => rt.nodes?.drivers.filter((d) => d.held && d.ari.connected).map((d) => d.node) ?? [];
while (!(rt.nodes ? heldNodes().length > 0 : rt.ari.connected)) await sleep(20);

serveParent({
  setPresence: async (a: { userIds: string[]; state: ChosenState }) => {
    for (const id of a.userIds) await rt.service.setPresence(id, a.state);
  },
  activeCalls: () => rt.controller.activeCalls,
  heldNodes: () => heldNodes(),
  /** Where this process believes an operator's softphone is registered (ARI_NODES; from the holders' reports). */
  registeredOn: (endpoint: string) => rt.nodes?.registrations.registeredOn(endpoint) ?? null,
  waiting: async (courtId: string) => (await rt.service.queueSnapshot(courtId)).waiting.length,
  usage: () => usage(),
  /** The event loop's delay since the last call (ms): whether the controller itself stalls during a round. */
  loopDelay: () => {
    const h = loopDelay;
    const result = { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
    h.reset();
    return result;
  },
  /** BENCH_TRACE: event-loop gaps and GC pauses since the last call (stall-watch.ts). */
  stalls: () => stalls?.() ?? null,
  rssAfterGc: () => {
    globalThis.gc?.();
    return usage().rssMb;
  },
  heap: () => {
    globalThis.gc?.();
    const m = process.memoryUsage();
    return { heapUsedMb: m.heapUsed / 2 ** 20, heapTotalMb: m.heapTotal / 2 ** 20, externalMb: m.external / 2 ** 20, rssMb: m.rss / 2 ** 20 };
  },
  heapSnapshot: async (file: string) => (await import('node:v8')).writeHeapSnapshot(file),
  /** Sampled allocations by stack, including objects already collected (BENCH_ALLOC): where the garbage comes from. */
  allocationSampling: async (a: { action: 'start' | 'stop'; file?: string }) => {
    const { Session } = await import('node:inspector/promises');
    const session = (globalThis as { benchInspector?: InstanceType<typeof Session> }).benchInspector ?? new Session();
    (globalThis as { benchInspector?: InstanceType<typeof Session> }).benchInspector = session;
    if (a.action === 'start') {
      session.connect();
      await session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.BENCH_ALLOC_SURVIVORS === undefined });
      return;
    }
    // Survivors only: the young objects that died since the last scavenge go first, or they would count as survivors.
    if (process.env.BENCH_ALLOC_SURVIVORS !== undefined) {
      if (!globalThis.gc) throw new Error('BENCH_ALLOC_SURVIVORS needs the controller started with --expose-gc');
      for (let i = 0; i < 2; i++) (globalThis.gc as unknown as (o: { type: string }) => void)({ type: 'minor' });
    }
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: unknown };
    (await import('node:fs')).writeFileSync(a.file!, JSON.stringify(profile));
  },
  stop: async () => {
    await hotline.stop();
    setImmediate(() => process.exit(0));
  },
});
