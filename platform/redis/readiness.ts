import type { ReadinessCheck } from '../health.ts';
import { withTimeout } from '../timeout.ts';
import type { Redis } from './connect.ts';
import { describeRedis, type RedisTarget } from './options.ts';

/**
 * /readyz's redis check: says what the process is waiting for. A connection that is not ready (Redis stopped, or
 * the sentinels not yet naming a new master during a fail-over) fails at once with its state; a ready one must
 * answer. A master with min-replicas-to-write set and too few replicas in sync refuses every write (NOREPLICAS; ioredis
 * reconnects and sends it again): that is waiting too, and INFO says so (min_slaves_good_slaves appears only when the
 * setting is on). While no master answers, commands wait in ioredis's queue and go out once one does.
 */
export function redisReadiness(redis: Redis, target: RedisTarget, timeoutMs = 2000): ReadinessCheck {
  const where = describeRedis(target);
  return async () => {
    if (redis.status !== 'ready') throw new Error(`waiting for Redis (${where}): connection ${redis.status}`);
    const info = await withTimeout(redis.info('replication'), timeoutMs, `waiting for Redis (${where}): no answer within ${timeoutMs} ms`);
    if (/^min_slaves_good_slaves:0\s*$/m.test(info)) {
      throw new Error(`waiting for Redis (${where}): the master has no replica in sync, so it refuses writes (min-replicas-to-write)`);
    }
  };
}
