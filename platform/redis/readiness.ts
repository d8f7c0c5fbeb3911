import type { ReadinessCheck } from '../health.ts';
import { withTimeout } from '../timeout.ts';
import type { Redis } from './connect.ts';
import { describeRedis, type RedisTarget } from './options.ts';

/**
 * /readyz's redis check: says what the process is waiting for. A connection that is not ready (Redis stopped, or
 * the sentinels not yet naming a new master during a fail-over) fails at once with its state; a ready one must
 * answer a PING. Commands meanwhile wait in ioredis's queue and go out once the master answers.
 */
export function redisReadiness(redis: Redis, target: RedisTarget, timeoutMs = 2000): ReadinessCheck {
  const where = describeRedis(target);
  return async () => {
    if (redis.status !== 'ready') throw new Error(`waiting for Redis (${where}): connection ${redis.status}`);
    await withTimeout(redis.ping(), timeoutMs, `waiting for Redis (${where}): no answer to PING within ${timeoutMs} ms`);
  };
}
