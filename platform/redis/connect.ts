import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { withTimeout } from '../timeout.ts';

export { Redis };

export class RedisConfigError extends Error {
  override name = 'RedisConfigError';
}

/**
 * Connects and waits for the first PING. `maxRetriesPerRequest: null` is what BullMQ workers
 * require; after the first connect ioredis keeps reconnecting by itself.
 */
export async function connectRedis(url: string, logger: Logger, timeoutMs = 3000): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: timeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let reported = false;
  redis.on('error', (err: Error) => {
    // ioredis repeats the same error on every retry; log a lost connection once until it is back.
    if (!reported) logger.warn({ err: err.message }, 'redis connection error');
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), timeoutMs);
    return redis;
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}

/** Redis at this URL is one the start command may replace with a private server. */
export function isLocalRedisUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host);
}

/** BullMQ loses jobs when Redis evicts keys, so the hotline refuses any policy but noeviction. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  // INFO works where CONFIG GET is disabled (most managed Redis services).
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisConfigError(
      `Redis's maxmemory-policy is "${policy}", but the hotline needs "noeviction": with eviction Redis may delete ` +
        `queued work orders and callbacks. Fix: run "CONFIG SET maxmemory-policy noeviction" and set ` +
        `"maxmemory-policy noeviction" in redis.conf, or point REDIS_URL at a Redis configured that way.`,
    );
  }
}
