/**
 * BENCH_TRACE: when a benchmark process stood still, for lining stalls up with slow calls. Records each gap of
 * more than `gapMs` in a 10 ms timer (the event loop blocked or the process throttled) and each GC pause of more
 * than 5 ms, both with their wall-clock time (epoch ms), until taken.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';

export interface Stalls {
  /** Event-loop gaps: when the gap ended and how long it was (ms). */
  gaps: Array<{ at: number; ms: number }>;
  /** GC pauses: when each started, how long (ms), and its kind (1 scavenge, 2 mark-sweep-compact, 4 incremental, 8 weak callbacks). */
  gc: Array<{ at: number; ms: number; kind: number }>;
}

export function watchStalls(gapMs = 50): () => Stalls {
  let s: Stalls = { gaps: [], gc: [] };
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 10 + gapMs) s.gaps.push({ at: Math.round(performance.timeOrigin + now), ms: Math.round(now - last - 10) });
    last = now;
  }, 10).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
      if (e.duration > 5) s.gc.push({ at: Math.round(performance.timeOrigin + e.startTime), ms: Math.round(e.duration), kind });
    }
  }).observe({ entryTypes: ['gc'] });
  return () => {
    const taken = s;
    s = { gaps: [], gc: [] };
    return taken;
  };
}

/** BENCH_TRACE: Redis round trips (PING every 5 ms from outside the nodes' quotas) over `slowMs`, with when they ended. */
export function watchRedisPings(redis: { ping(): Promise<unknown> }, slowMs = 20): () => Array<{ at: number; ms: number }> {
  let slow: Array<{ at: number; ms: number }> = [];
  let busy = false;
  setInterval(() => {
    if (busy) return;
    busy = true;
    const t0 = performance.now();
    void redis
      .ping()
      .then(
        () => {
          const ms = performance.now() - t0;
          if (ms > slowMs) slow.push({ at: Math.round(performance.timeOrigin + performance.now()), ms: Math.round(ms) });
        },
        // The run closed the connection at its end: that ping is no reading (and must not crash the run, as it did).
        () => undefined,
      )
      .finally(() => {
        busy = false;
      });
  }, 5).unref();
  return () => {
    const taken = slow;
    slow = [];
    return taken;
  };
}
