import { describe, expect, it } from 'vitest';
import { SerialReload } from './serial-reload.ts';

describe('SerialReload', () => {
  it('runs one load at a time and one more for requests made during a load', async () => {
    let loads = 0;
    let release: () => void = () => undefined;
    const reload = new SerialReload(async () => {
      loads++;
      if (loads === 1) await new Promise<void>((r) => (release = r));
    }, () => undefined);
    const first = reload.run();
    const second = reload.run();
    const third = reload.run();
    expect(second).toBe(first);
    expect(third).toBe(first);
    release();
    await first;
    expect(loads).toBe(2);
    await reload.run();
    expect(loads).toBe(3);
  });

  it('reports a failed load and tries again after retryMs, until stopped', async () => {
    let loads = 0;
    const errors: string[] = [];
    const reload = new SerialReload(async () => {
      loads++;
      if (loads === 1) throw new Error('pool timeout');
    }, (err) => errors.push(err.message), 10);
    await reload.run();
    expect(errors).toEqual(['pool timeout']);
    await expect.poll(() => loads).toBe(2);
    let stoppedLoads = 0;
    const stopped = new SerialReload(async () => {
      stoppedLoads++;
      throw new Error('down');
    }, (err) => errors.push(err.message), 10);
    stopped.stop();
    await stopped.run();
    await new Promise((r) => setTimeout(r, 50));
    expect(stoppedLoads).toBe(1);
    expect(errors).toEqual(['pool timeout', 'down']);
  });

  it('keeps one retry pending however many loads fail meanwhile, and drops it on stop', async () => {
    const at: number[] = [];
    const reload = new SerialReload(async () => {
      at.push(Date.now());
      throw new Error('down');
    }, () => undefined, 100);
    await reload.run();
    // Requests during the outage (a NOTIFY, a reconnect) fail too, but start no retry chain of their own.
    await reload.run();
    await reload.run();
    await expect.poll(() => at.length).toBeGreaterThanOrEqual(6);
    // After the three requests, one load per retry interval: several chains would fire together (gaps near 0).
    const gaps = at.slice(3).map((t, i) => t - at[i + 2]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90);
    reload.stop();
    const stoppedAt = at.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(at.length).toBe(stoppedAt);
  });
});
