import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { withTimeout } from '../timeout.ts';
import { describeRedis, redisOptions, type RedisTarget } from './options.ts';

export { Redis };

export class RedisConfigError extends Error {
  override name = 'RedisConfigError';
}

/**
 * Connects (to REDIS_URL, or to the master the sentinels name) and waits for the first PING. After the first connect
 * ioredis keeps reconnecting by itself, asking the sentinels again each time. Options: platform/redis/options.ts.
 */
export async function connectRedis(target: string | RedisTarget, logger: Logger, timeoutMs = 3000): Promise<Redis> {
  const settings: RedisTarget = typeof target === 'string' ? { url: target } : target;
  const options = redisOptions(settings, timeoutMs);
  const redis = settings.sentinels ? new Redis(options) : new Redis(settings.url, options);
  reportErrors(redis, logger, { redis: describeRedis(settings) });
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), timeoutMs);
    return redis;
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}

/**
 * Logs a connection's errors (ioredis repeats the same one on every retry: once until it is ready again). Without
 * a listener ioredis only prints "Unhandled error event" to stderr, outside the service's log.
 */
function reportErrors(redis: Redis, logger: Logger, context: Record<string, string>): void {
  let reported = false;
  redis.on('error', (err: Error) => {
    if (!reported) logger.warn({ err: err.message, ...context }, 'redis connection error');
    reported = true;
  });
  redis.on('ready', () => (reported = false));
}

/** A further connection to the same Redis (its own pub/sub or commands), its errors in the log under `purpose`. */
export function duplicateRedis(redis: Redis, logger: Logger, purpose: string, override?: Parameters<Redis['duplicate']>[0]): Redis {
  const copy = redis.duplicate(override);
  reportErrors(copy, logger, { connection: purpose });
  return copy;
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
