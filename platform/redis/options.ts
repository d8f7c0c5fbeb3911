import type { RedisOptions } from 'ioredis';
import type { Config } from '../config/schema.ts';

/** Where the hotline's Redis is: one server at a URL, or a master the sentinels name. */
export type RedisTarget = Pick<Config['redis'], 'url'> & Partial<Pick<Config['redis'], 'sentinels' | 'sentinelMaster' | 'sentinelPassword' | 'sentinelTls'>>;

/**
 * The one place connection options are built. Every other connection is a duplicate() of the first (events, live
 * state, subscribers) or BullMQ's own duplicate of it (a worker's blocking connection), and duplicate() keeps these
 * options, so with sentinels every connection asks them for the master and follows it through a fail-over.
 */
export function redisOptions(target: RedisTarget, timeoutMs: number): RedisOptions {
  const common: RedisOptions = {
    lazyConnect: true,
    // BullMQ's workers require it; with it a command sent while Redis is away waits for the reconnect instead of
    // failing, so nothing written during a fail-over is dropped by the client.
    maxRetriesPerRequest: null,
    connectTimeout: timeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // A fail-over's old master answers writes with READONLY once demoted, and with NOREPLICAS (min-replicas-to-write)
    // from the moment its replica is promoted: reconnect (to whatever the sentinels name by then) and send the command
    // again, so a plain write waits out the fail-over instead of failing. The refused write was not applied. (A
    // MULTI cannot be sent again this way: it fails with EXECABORT.) ioredis ends the connection once per refused
    // command, each adding a 'close' listener to its socket (ioredis#1792): past ten in flight Node warns of a leak,
    // but they go with that socket, closed at once (reconnect-on-error.test.ts).
    reconnectOnError: (err) => (/^(READONLY|NOREPLICAS)/.test(err.message) ? 2 : false),
  };
  if (!target.sentinels) return common;
  const url = new URL(target.url);
  const db = Number(url.pathname.slice(1) || 0);
  return {
    ...common,
    sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
    name: target.sentinelMaster,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    ...(target.sentinelTls ? { sentinelTLS: {} } : {}),
    // Not ioredis's failoverDetector: its disconnect on +switch-master, landing while a connection is already asking
    // the sentinels after a crash, ends that connection for good (status "end", never reconnected; seen in
    // test/redis/sentinel-failover.test.ts). The old master is left when Sentinel demotes it and kills its clients;
    // until then min-replicas-to-write makes it refuse writes (docs/deployment.md).
    failoverDetector: false,
    sentinelRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
}

/** For logs and errors: where Redis is, without any password. */
export function describeRedis(target: RedisTarget): string {
  if (target.sentinels) {
    return `the master "${target.sentinelMaster}" of the sentinels ${target.sentinels.map((s) => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`)).join(',')}`;
  }
  const url = new URL(target.url);
  url.password = url.password ? '***' : '';
  return url.toString().replace(/\/$/, '');
}
