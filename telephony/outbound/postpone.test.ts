import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { serviceOf } from '../../platform/deps.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { promptSounds, soundsDir, until } from '../test/over-sim.ts';
import { OutboundScheduler } from './scheduler.ts';

// With ARI_NODES, a controller holding no node leaves an attempt to the one holding a node, which may be unable to
// dial too (its ARI down, or a lease left by a dead process): after 10 s the job fails (AriUnavailable), so the
// queue logs it and retries it with backoff, rather than being put off every second, forever and silently.
const sim = await startAriSim({ app: 'hotline12368', username: 'hotline', password: 'hotline', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'], sounds: promptSounds(60) });
afterFile(() => sim.stop());
const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
afterFile(() => redis.quit());
// Someone else holds the only node, and never lets it go.
const lease = `${prefix}:tel:node:node1:lease`;
await redis.set(lease, 'someone-else|t');
afterFile(() => redis.del(lease));
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
const rt = serviceOf(hotline.deps, 'telephonyRuntime');

describe('an attempt left to the controller holding the node', () => {
  it('fails after 10 s when no one starts it (retried by the queue), instead of waiting forever', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rt.nodes!.drivers[0]!.held).toBe(false);
    const courtId = randomUUID();
    const request = { id: randomUUID(), courtId, purpose: 'return_visit' as const, mode: 'survey' as const, ticketId: null, callId: null, number: '13600000061', requestedBy: { userId: randomUUID(), role: 'operator' as const, courtId, departmentId: null }, endpoint: null };
    await new OutboundScheduler(hotline.deps.queues).scheduleAttempt(request, 1, Date.now());
    const job = async () => (await rt.outbound.queue.getJob(`ob-${request.id}-1`))!;
    // Put off meanwhile, since when it was first left to others kept in the job.
    await until(async () => typeof (await job()).data.postponedSince === 'number', 5000);
    expect((await job()).attemptsMade).toBe(0);
    await until(async () => (await job()).attemptsMade >= 1, 16_000);
    expect((await job()).failedReason).toMatch(/left to the controllers holding the nodes for 1\d s, none started it/);
    expect(sim.channels()).toEqual([]);
  }, 25_000);
});
