import type { Config } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import { assertNoEviction, connectRedis, isLocalRedisUrl, RedisConfigError, type Redis } from './connect.ts';
import { describeRedis } from './options.ts';
import { redisServerInstalled, startPrivateRedis, type PrivateRedis } from './private-server.ts';

export interface OpenedRedis {
  redis: Redis;
  url: string;
  /** Set when this process launched its own redis-server. */
  privateServer?: PrivateRedis;
}

/**
 * Connects to REDIS_URL, or to the master the sentinels name (REDIS_SENTINELS, never autostarted); when nothing
 * answers at a local REDIS_URL and redis-server is installed, launches a private one. Refuses a Redis that may evict keys.
 */
export async function openRedis(config: Config['redis'], dataDir: string, logger: Logger): Promise<OpenedRedis> {
  let opened: OpenedRedis;
  try {
    opened = { redis: await connectRedis(config, logger), url: config.sentinels ? describeRedis(config) : config.url };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (config.sentinels) {
      throw new RedisConfigError(
        `No Redis master answers as ${describeRedis(config)} (${reason}). Fix: check that the sentinels run and monitor ` +
          `"${config.sentinelMaster}" (REDIS_SENTINEL_MASTER), and that REDIS_URL carries the master's password if it has one.`,
      );
    }
    if (!config.autostart || !isLocalRedisUrl(config.url)) {
      throw new RedisConfigError(`No Redis answers at ${config.url} (${reason}). Fix: start Redis there, or set REDIS_URL to one that runs.`);
    }
    if (!redisServerInstalled()) {
      throw new RedisConfigError(
        `No Redis answers at ${config.url} (${reason}) and redis-server is not installed, so no private one can be started. ` +
          `Fix: install Redis ("apt-get install redis-server"), or run "docker compose up -d redis", or set REDIS_URL to a running Redis.`,
      );
    }
    logger.info({ url: config.url, reason }, 'no Redis answers: starting a private one');
    const privateServer = await startPrivateRedis(dataDir, logger);
    opened = { redis: await connectRedis(privateServer.url, logger), url: privateServer.url, privateServer };
  }
  try {
    await assertNoEviction(opened.redis);
    if (config.sentinels) await warnIfWritesMayBeLost(opened.redis, logger);
    return opened;
  } catch (err) {
    opened.redis.disconnect();
    await opened.privateServer?.stop();
    throw err;
  }
}

/**
 * Behind Sentinel, a master without min-replicas-to-write keeps taking writes after its replica was promoted, and
 * loses them when it is demoted (docs/deployment.md). INFO shows min_slaves_good_slaves only when the setting is on.
 */
async function warnIfWritesMayBeLost(redis: Redis, logger: Logger): Promise<void> {
  if (/^min_slaves_good_slaves:/m.test(await redis.info('replication'))) return;
  logger.warn(
    'the Redis master has no min-replicas-to-write: a fail-over may lose jobs the hotline wrote to the old master. ' +
      'Fix: set "min-replicas-to-write 1" on every Redis data node (docs/deployment.md, "Why min-replicas-to-write")',
  );
}
