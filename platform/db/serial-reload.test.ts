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
});
