import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/harness/net.ts';
import { spawnRedis } from '../../test/harness/redis.ts';
import { createLogger } from '../logger.ts';
import { RedisConfigError } from './connect.ts';
import { openRedis } from './open.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const settings = (url: string, autostart = true) => ({ url, autostart, prefix: 'hotline', sentinelTls: false });

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('openRedis', () => {
  it('refuses a Redis whose maxmemory-policy is not noeviction, saying why and how to fix it', async () => {
    const lru = await spawnRedis(['--maxmemory-policy', 'allkeys-lru']);
    const attempt = openRedis(settings(lru.url), tempDataDir(), logger);
    await expect(attempt).rejects.toBeInstanceOf(RedisConfigError);
    await expect(attempt).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*needs "noeviction".*Fix:/s);
  });

  it('accepts a noeviction Redis', async () => {
    const good = await spawnRedis(['--maxmemory-policy', 'noeviction']);
    const opened = await openRedis(settings(good.url), tempDataDir(), logger);
    expect(opened.privateServer).toBeUndefined();
    expect(await opened.redis.ping()).toBe('PONG');
    opened.redis.disconnect();
  });

  it('starts a private append-only redis-server when none answers locally, and its data survives a restart', async () => {
    const dataDir = tempDataDir();
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const first = await openRedis(settings(nobody), dataDir, logger);
    expect(first.privateServer).toBeDefined();
    expect(first.url).not.toBe(nobody);
    expect(await first.redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await first.redis.config('GET', 'dir')).toEqual(['dir', join(dataDir, 'redis')]);
    // Compact job hashes: a pending deadline timer takes ~690 bytes instead of ~1,050 (docs/performance.md).
    expect(await first.redis.config('GET', 'hash-max-listpack-value')).toEqual(['hash-max-listpack-value', '256']);
    await first.redis.set('survives', 'yes');
    await first.redis.quit();
    await first.privateServer?.stop();

    const second = await openRedis(settings(nobody), dataDir, logger);
    expect(await second.redis.get('survives')).toBe('yes');
    await second.redis.quit();
    await second.privateServer?.stop();
  });

  it('does not start a private server when autostart is off', async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    await expect(openRedis(settings(nobody, false), tempDataDir(), logger)).rejects.toThrow(/No Redis answers at .*Fix: start Redis there, or set REDIS_URL/);
  });

  it('does not start a private server for a Redis at any other address', async () => {
    // 127.0.0.2 is loopback, but not an address the start command treats as its own.
    const elsewhere = `redis://127.0.0.2:${await freePort()}`;
    await expect(openRedis(settings(elsewhere), tempDataDir(), logger)).rejects.toThrow(`No Redis answers at ${elsewhere}`);
  });
});
