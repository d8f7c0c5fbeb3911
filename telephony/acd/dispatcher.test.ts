import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { useRedisPrefix, testRedisUrl } from '../../test/harness/redis.ts';
import { Dispatcher } from './dispatcher.ts';
import { LiveState } from './live-state.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
afterAll(() => redis.quit());
const court = 'court-x';

describe('Dispatcher', () => {
  it('puts a new caller in the queue with its claim, and after a failed round on the next kick, in its place', async () => {
    const real = new LiveState(redis, prefix);
    let failNext = true;
    // The first round fails the way a Redis fault does; the second goes through.
    const live = Object.assign(Object.create(real) as LiveState, {
      claimMany: (...args: Parameters<LiveState['claimMany']>) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('Connection is closed.'));
        }
        return real.claimMany(...args);
      },
    });
    const assigned: string[] = [];
    const dispatcher = new Dispatcher({ live, logger: createLogger({ level: 'silent', pretty: false }), ringHoldMs: 1000, assign: (callId) => assigned.push(callId) });
    await real.enqueue(court, 'earlier', 10);

    dispatcher.add('caller-1', { courtId: court, skill: 'enquiry' }, 20);
    await dispatcher.kick();
    expect(await real.waiting(court)).toEqual([{ callId: 'earlier', enqueuedAt: 10 }]);

    await dispatcher.kick();
    expect(await real.waiting(court)).toEqual([
      { callId: 'earlier', enqueuedAt: 10 },
      { callId: 'caller-1', enqueuedAt: 20 },
    ]);
    expect(assigned).toEqual([]);

    // An operator comes: the caller (the only one of this dispatcher) is claimed and leaves the queue.
    await real.register({ userId: 'op-1', courtId: court, endpoint: 'sip-op-1', skills: [] });
    await real.transition('op-1', ['logged_out'], 'ready', { now: 30 });
    await dispatcher.kick();
    expect(assigned).toEqual(['caller-1']);
    expect((await real.waiting(court)).map((w) => w.callId)).toEqual(['earlier']);
  });

  it('never adds a caller that left before its round', async () => {
    const live = new LiveState(redis, prefix);
    const dispatcher = new Dispatcher({ live, logger: createLogger({ level: 'silent', pretty: false }), ringHoldMs: 1000, assign: () => undefined });
    dispatcher.add('gone', { courtId: 'court-y', skill: 'enquiry' }, 5);
    dispatcher.add('stays', { courtId: 'court-y', skill: 'enquiry' }, 6);
    dispatcher.remove('gone');
    await dispatcher.kick();
    expect(await live.waiting('court-y')).toEqual([{ callId: 'stays', enqueuedAt: 6 }]);
  });
});
