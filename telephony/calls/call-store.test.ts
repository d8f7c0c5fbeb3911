import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { useRedisPrefix, testRedisUrl } from '../../test/harness/redis.ts';
import { CallStore, type CallSnapshot } from './call-store.ts';
import { newCall } from './machine.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
const monitor = await redis.monitor();
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

describe('CallStore (Redis)', () => {
  const store = new CallStore(redis, prefix, 'hotline12368', logger);
  const otherApp = new CallStore(redis, prefix, 'other-app', logger);

  it('saves each step as one HSET on one hash, the last save winning', async () => {
    seen.length = 0;
    store.save(snapshot('a', 1));
    store.save(snapshot('b', 1));
    store.save(snapshot('a', 3));
    await expect.poll(async () => (await store.get('a'))?.eventSeq).toBe(3);
    expect((await store.get('b'))?.eventSeq).toBe(1);
    const writes = () => seen.filter((c) => c[0] === 'hset').map((c) => c[2]);
    await expect.poll(writes).toEqual(['a', 'b', 'a']);
  });

  it('lists only its own app’s calls, but any app’s call counts as live', async () => {
    otherApp.save(snapshot('c', 2));
    await expect.poll(() => otherApp.isLive('c')).toBe(true);
    expect((await store.list()).map((s) => s.state.callId).sort()).toEqual(['a', 'b']);
    expect((await otherApp.list()).map((s) => s.state.callId)).toEqual(['c']);
    expect(await store.isLive('c')).toBe(true);
    expect(await store.get('nobody')).toBeNull();
  });

  it('a removal right after a save lands after it, so the call does not come back', async () => {
    store.save(snapshot('a', 4));
    store.remove('a');
    store.save(snapshot('b', 5));
    store.remove('b');
    otherApp.remove('c');
    await expect.poll(() => redis.hlen(key)).toBe(0);
    expect(await store.list()).toEqual([]);
  });
});
