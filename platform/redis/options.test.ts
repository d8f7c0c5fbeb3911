import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/load.ts';
import { describeRedis, redisOptions } from './options.ts';

const load = (env: Record<string, string>) => loadConfig({ env, cwd: mkdtempSync(join(tmpdir(), 'hotline-config-')) });
function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('Redis Sentinel settings', () => {
  it('read the sentinels (host:port, [v6]:port, a bare host on 26379) and the master name', () => {
    const { redis } = load({ REDIS_SENTINELS: '10.0.0.1:26380, sentinel-b ,[::1]:26381', REDIS_SENTINEL_MASTER: 'hotline' });
    expect(redis.sentinels).toEqual([
      { host: '10.0.0.1', port: 26380 },
      { host: 'sentinel-b', port: 26379 },
      { host: '::1', port: 26381 },
    ]);
    expect(redis.sentinelMaster).toBe('hotline');
    expect(describeRedis(redis)).toBe('the master "hotline" of the sentinels 10.0.0.1:26380,sentinel-b:26379,[::1]:26381');
  });

  it('are optional: REDIS_URL alone is one Redis, with no sentinel options', () => {
    const { redis } = load({ REDIS_URL: 'redis://:secret@10.0.0.9:6380/2' });
    expect(redis.sentinels).toBeUndefined();
    const options = redisOptions(redis, 1000);
    expect(options).not.toHaveProperty('sentinels');
    expect(options.maxRetriesPerRequest).toBeNull();
    expect(describeRedis(redis)).toBe('redis://:***@10.0.0.9:6380/2');
  });

  it.each([
    [{ REDIS_SENTINELS: '10.0.0.1:26379' }, 'REDIS_SENTINEL_MASTER', 'required when Redis sentinels are set'],
    [{ REDIS_SENTINEL_MASTER: 'hotline' }, 'REDIS_SENTINELS', 'required when a Sentinel master name is set'],
    [{ REDIS_SENTINELS: '10.0.0.1:99999', REDIS_SENTINEL_MASTER: 'hotline' }, 'REDIS_SENTINELS="10.0.0.1:99999"', 'is not host:port'],
    [{ REDIS_SENTINELS: 'http://x:1', REDIS_SENTINEL_MASTER: 'hotline' }, 'REDIS_SENTINELS="http://x:1"', 'is not host:port'],
    [{ REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_MASTER: 'has space' }, 'REDIS_SENTINEL_MASTER="has space"', 'letters, digits'],
  ])('refuse %o, naming %s and the fix', (env, name, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toContain(message);
    expect(problems[0]).toMatch(/Fix: set REDIS_SENTINEL/);
  });

  it("give every connection the sentinels, the master's password, database and TLS from REDIS_URL, and the sentinels' own", () => {
    const { redis } = load({
      REDIS_URL: 'rediss://hotline:p%40ss@ignored:1/3',
      REDIS_SENTINELS: 's1:26379,s2:26379',
      REDIS_SENTINEL_MASTER: 'court',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_SENTINEL_TLS: 'true',
    });
    expect(redisOptions(redis, 1000)).toMatchObject({
      sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }],
      name: 'court',
      username: 'hotline',
      password: 'p@ss',
      db: 3,
      tls: {},
      enableTLSForSentinelMode: true,
      sentinelPassword: 'sentinel-secret',
      sentinelTLS: {},
      failoverDetector: false,
      maxRetriesPerRequest: null,
    });
  });
});
