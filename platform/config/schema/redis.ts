import { z } from 'zod';
import { booleanText, url } from './values.ts';

/** host:port, [v6]:port or a bare host (Sentinel's port 26379). */
const sentinelAddress = z.string().transform((v, ctx) => {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(v.trim());
  const port = Number(match?.[3] ?? 26379);
  if (!match || port < 1 || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not host:port` });
    return z.NEVER;
  }
  return { host: (match[1] ?? match[2]) as string, port };
});
const sentinelList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(sentinelAddress).min(1, 'at least one sentinel'),
);

/** Redis: the queues and live state, directly or through Sentinel. */
export const redisSchema = z
  .object({
    url: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    /** Launch a private redis-server when none answers at a local url. */
    autostart: booleanText.default(true),
    /** Key prefix for every BullMQ queue and live-state key (several deployments may share a Redis). */
    prefix: z.string().min(1).regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only').default('hotline'),
    /**
     * Redis Sentinel: the sentinels to ask where the master is. Set, every connection follows the master through a
     * fail-over, and url gives only the data nodes' password, database and TLS (rediss:), not their address.
     */
    sentinels: sentinelList.optional(),
    /** The master name the sentinels monitor (`sentinel monitor <name> …` in sentinel.conf). */
    sentinelMaster: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').optional(),
    /** The sentinels' own password (their requirepass), when they have one. */
    sentinelPassword: z.string().min(1).optional(),
    /** Reach the sentinels over TLS. */
    sentinelTls: booleanText.default(false),
  })
  .superRefine((redis, ctx) => {
    if (redis.sentinels && !redis.sentinelMaster) ctx.addIssue({ code: 'custom', path: ['sentinelMaster'], message: 'required when Redis sentinels are set' });
    if (redis.sentinelMaster && !redis.sentinels) ctx.addIssue({ code: 'custom', path: ['sentinels'], message: 'required when a Sentinel master name is set' });
  })
  .prefault({});

export const redisEnv = {
  'redis.url': 'REDIS_URL',
  'redis.autostart': 'REDIS_AUTOSTART',
  'redis.prefix': 'REDIS_PREFIX',
  'redis.sentinels': 'REDIS_SENTINELS',
  'redis.sentinelMaster': 'REDIS_SENTINEL_MASTER',
  'redis.sentinelPassword': 'REDIS_SENTINEL_PASSWORD',
  'redis.sentinelTls': 'REDIS_SENTINEL_TLS',
} as const;

export const redisHints: Record<keyof typeof redisEnv, string> = {
  'redis.url': 'redis://host:6379 (or rediss:// for TLS)',
  'redis.autostart': 'true or false',
  'redis.prefix': 'letters, digits, ":", "_" or "-", e.g. hotline',
  'redis.sentinels': 'a comma-separated list of sentinels, e.g. 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379, or unset it for one Redis at REDIS_URL',
  'redis.sentinelMaster': 'the master name from the sentinels\' "sentinel monitor <name> …" line, e.g. hotline',
  'redis.sentinelPassword': 'the sentinels\' requirepass, or unset it',
  'redis.sentinelTls': 'true or false',
};
