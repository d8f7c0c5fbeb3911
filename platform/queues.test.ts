import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { testRedisUrl, useRedisPrefix } from '../test/harness/redis.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { Queues } from './queues.ts';

describe('Queues', () => {
  const prefix = useRedisPrefix();
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
  afterAll(() => redis.quit());

  it('a stop waits for a job in hand, but not past its bound: a worker whose job never ends is left behind, named in a warning', async () => {
    const logger = createLogger({ level: 'silent', pretty: false });
    const warn = vi.spyOn(logger, 'warn');
    const queues = new Queues(redis, prefix, logger, true, createMetrics(), 300);
    let releaseQuick: (() => void) | undefined;
    let quickDone = false;
    let stuckStarted = false;
    queues.work('quick', {
      job: async () => {
        await new Promise<void>((r) => (releaseQuick = r));
        quickDone = true;
      },
    });
    queues.work('stuck', {
      job: async () => {
        stuckStarted = true;
        return new Promise(() => undefined); // hangs on a dependency that never answers
      },
    });
    await queues.queue('quick').add('job', {});
    await queues.queue('stuck').add('job', {});
    await expect.poll(() => releaseQuick !== undefined && stuckStarted, { timeout: 5000 }).toBe(true);

    const started = Date.now();
    setTimeout(() => releaseQuick!(), 100); // the quick job ends while the stop waits for it
    await queues.drainWorkers();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(quickDone).toBe(true);
    expect(warn).toHaveBeenCalledWith({ queue: 'stuck', ms: 300 }, 'worker did not close in time: the stop goes on without it');
    expect(warn).not.toHaveBeenCalledWith(expect.objectContaining({ queue: 'quick' }), expect.anything());

    // The shared connection the later shutdown steps use still answers, and closing does not wait again.
    expect(await redis.ping()).toBe('PONG');
    const closing = Date.now();
    await queues.close();
    expect(Date.now() - closing).toBeLessThan(250);
  });
});
