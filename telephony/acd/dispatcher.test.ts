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

  it("never leaves a caller who hung up during a round in the queue (another court's round first, or their round overtaken)", async () => {
    const real = new LiveState(redis, prefix);
    const gates = new Map<string | null, () => void>();
    const held = (courtId: string | null) => new Promise<void>((open) => gates.set(courtId, open));
    const holding = new Map<string | null, Promise<void>>();
    // A round waits at its court's gate with the arguments it was sent with: as a script re-sent after NOSCRIPT
    // does, which reaches Redis after a dequeue sent meanwhile.
    const live = Object.assign(Object.create(real) as LiveState, {
      claimMany: async (...args: Parameters<LiveState['claimMany']>) => {
        const gate = holding.get(args[0]);
        if (gate) await gate;
        return real.claimMany(...args);
      },
    });
    const dispatcher = new Dispatcher({ live, logger: createLogger({ level: 'silent', pretty: false }), ringHoldMs: 1000, assign: () => undefined });
    const hangUp = async (callId: string, courtId: string) => {
      dispatcher.remove(callId);
      await real.dequeue(courtId, callId);
    };

    // Court a's round is on its way when a court b caller hangs up: b's round, sent after, leaves them out.
    holding.set('court-a', held('court-a'));
    dispatcher.add('a-1', { courtId: 'court-a', skill: 'enquiry' }, 1);
    dispatcher.add('b-gone', { courtId: 'court-b', skill: 'enquiry' }, 2);
    dispatcher.add('b-stays', { courtId: 'court-b', skill: 'enquiry' }, 3);
    const first = dispatcher.kick();
    await new Promise((r) => setTimeout(r, 20));
    await hangUp('b-gone', 'court-b');
    gates.get('court-a')!();
    await first;
    expect((await real.waiting('court-b')).map((w) => w.callId)).toEqual(['b-stays']);

    // The caller's own round is on its way when they hang up, and their dequeue reaches Redis first.
    holding.clear();
    holding.set('court-c', held('court-c'));
    dispatcher.add('c-gone', { courtId: 'court-c', skill: 'enquiry' }, 4);
    const second = dispatcher.kick();
    await new Promise((r) => setTimeout(r, 20));
    await hangUp('c-gone', 'court-c');
    gates.get('court-c')!();
    await second;
    await expect.poll(async () => (await real.waiting('court-c')).map((w) => w.callId)).toEqual([]);
  });
});
