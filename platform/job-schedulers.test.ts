import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { testRedisUrl, useRedisPrefix } from '../test/harness/redis.ts';
import { keepScheduling, type SchedulableQueue } from './job-schedulers.ts';
import { createLogger } from './logger.ts';

describe('keepScheduling', () => {
  const prefix = useRedisPrefix();
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('schedulers-test', { connection: redis, prefix });
  afterAll(async () => {
    await queue.close();
    await redis.quit();
  });

  it('retries with back-off after Redis refused, sets the scheduler in real Redis, and logs once each way', async () => {
    const logger = createLogger({ level: 'silent', pretty: false });
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');
    // Redis "away" for the first three tries (as at boot), then the real queue answers.
    let tries = 0;
    const flaky: SchedulableQueue = {
      get closing() {
        return queue.closing;
      },
      upsertJobScheduler: async (...args) => {
        tries += 1;
        if (tries <= 3) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
        return queue.upsertJobScheduler(...args);
      },
    };
    expect(await keepScheduling(flaky, 'every-minute', { every: 60_000 }, 'tick', logger, { firstDelayMs: 10, maxDelayMs: 40 })).toBe(true);
    expect(tries).toBe(4);
    expect(await queue.getJobScheduler('every-minute')).toMatchObject({ every: 60_000, name: 'tick' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatchObject({ scheduler: 'every-minute', err: expect.stringContaining('ECONNREFUSED') });
    expect(info).toHaveBeenCalledTimes(1);
  });

  it('stops trying once the queue closes', async () => {
    const logger = createLogger({ level: 'silent', pretty: false });
    let closing: Promise<void> | undefined;
    const away: SchedulableQueue = {
      get closing() {
        return closing;
      },
      upsertJobScheduler: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    };
    const done = keepScheduling(away, 'never', { every: 1000 }, 'tick', logger, { firstDelayMs: 10 });
    setTimeout(() => (closing = Promise.resolve()), 50);
    expect(await done).toBe(false);
  });
});
