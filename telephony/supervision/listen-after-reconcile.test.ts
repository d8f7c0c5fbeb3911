import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { serviceOf } from '../../platform/deps.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { promptSounds, soundsDir, until } from '../test/over-sim.ts';

// With ARI_NODES, a node's supervision requests are listened to only once its holder has reconciled the node's
// calls (adopted what the last holder left): before, a request would be answered 202 and then find no call here.
// The node's Asterisk is down when the lease is taken: held, not reconciled, not listening (a request gets 503).
const sim = await startAriSim({ app: 'hotline12368', username: 'hotline', password: 'hotline', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'], sounds: promptSounds(60) });
afterFile(() => sim.stop());
await sim.stopAsterisk();
const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
afterFile(() => redis.quit());
const hotline = await useHotline({
  DATABASE_URL: await useTestDatabase(),
  REDIS_PREFIX: prefix,
  HOTLINE_ROLES: 'telephony',
  ARI_NODES: `node1=${sim.url}`,
  ARI_NODE_LEASE_MS: '1500',
  ARI_USERNAME: 'hotline',
  ARI_PASSWORD: 'hotline',
  TELEPHONY_SOUNDS_DIR: soundsDir,
});
const driver = serviceOf(hotline.deps, 'telephonyRuntime').nodes!.drivers[0]!;
const listeners = async () => ((await redis.pubsub('NUMSUB', `${prefix}:tel:supervise:node1`)) as [string, number])[1];

describe("a node's supervision requests", () => {
  it('are listened to once the holder has reconciled the node, not when it takes the lease', async () => {
    await until(() => driver.held, 5000);
    // Held for a while, Asterisk still down: nothing reconciled, no one listening.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(driver.ari.connected).toBe(false);
    expect(await listeners()).toBe(0);
    await sim.startAsterisk();
    await until(() => driver.ari.connected, 10_000);
    expect(await driver.reconciled()).toBe(true);
    await expect.poll(listeners, { timeout: 5000 }).toBe(1);
  });
});
