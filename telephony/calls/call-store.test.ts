import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { openMonitor, useRedisPrefix, testRedisUrl } from '../../test/harness/redis.ts';
import { CallStore, type CallSnapshot } from './call-store.ts';
import { newCall } from './machine.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
const monitor = await openMonitor();
afterAll(async () => {
  monitor.disconnect();
  await redis.quit();
});
const logger = createLogger({ level: 'silent', pretty: false });
const key = `${prefix}:tel:live-calls`;

/** Commands on this store's hash, as Redis received them. */
const seen: string[][] = [];
monitor.on('monitor', (_time: string, args: string[]) => {
  if (args[1] === key) seen.push(args);
});

const snapshot = (callId: string, eventSeq: number): CallSnapshot => ({
  state: newCall({ callId, channelId: `ch-${callId}`, courtId: 'court-a', callerNumber: '13800000000' }),
  arrivedAt: 1000,
  dialled: '12368',
  eventSeq,
});
const nextTick = () => new Promise((r) => setImmediate(r));
const linger = () => new Promise((r) => setTimeout(r, 30));

describe('CallStore (Redis)', () => {
  const store = new CallStore(redis, prefix, 'hotline12368', logger);
  const otherApp = new CallStore(redis, prefix, 'other-app', logger);

  it('sends the saves made within the linger as one HSET, each call at its last state', async () => {
    seen.length = 0;
    store.save(snapshot('a', 1));
    await nextTick();
    store.save(snapshot('b', 1));
    await nextTick();
    store.save(snapshot('a', 3));
    await expect.poll(async () => (await store.get('a'))?.eventSeq).toBe(3);
    expect((await store.get('b'))?.eventSeq).toBe(1);
    await expect.poll(() => seen.filter((c) => c[0] === 'hset').length).toBe(1);
    expect(seen.find((c) => c[0] === 'hset')).toHaveLength(6); // hset key a … b …
  });

  it('lists only its own app’s calls, but any app’s call counts as live', async () => {
    otherApp.save(snapshot('c', 2));
    await expect.poll(() => otherApp.isLive('c')).toBe(true);
    expect((await store.list()).map((s) => s.state.callId).sort()).toEqual(['a', 'b']);
    expect((await otherApp.list()).map((s) => s.state.callId)).toEqual(['c']);
    expect(await store.isLive('c')).toBe(true);
    expect(await store.get('nobody')).toBeNull();
  });

  it('a removal drops a save still waiting for its tick, so the call does not come back', async () => {
    store.save(snapshot('a', 4));
    store.remove('a');
    await linger();
    expect(await store.isLive('a')).toBe(false);
    expect((await store.list()).map((s) => s.state.callId)).toEqual(['b']);
  });

  it('a removal after a sent save lands after it; removals within the linger go as one HDEL', async () => {
    store.save(snapshot('b', 5));
    await linger();
    seen.length = 0;
    store.remove('b');
    await nextTick();
    store.remove('d');
    otherApp.remove('c');
    await expect.poll(() => redis.hlen(key)).toBe(0);
    await expect.poll(() => seen.filter((c) => c[0] === 'hdel').map((c) => c.slice(2).sort().join(','))).toEqual(['b,d', 'c']);
  });

  it('flush sends what lingers at once (shutdown)', async () => {
    const slow = new CallStore(redis, prefix, 'hotline12368', logger, 60_000);
    slow.save(snapshot('e', 1));
    slow.flush();
    await expect.poll(() => slow.isLive('e')).toBe(true);
    slow.remove('e');
    slow.flush();
    await expect.poll(() => slow.isLive('e')).toBe(false);
  });
});
