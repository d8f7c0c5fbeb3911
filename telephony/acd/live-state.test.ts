import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { useRedisPrefix, testRedisUrl } from '../../test/harness/redis.ts';
import { LiveState } from './live-state.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
afterAll(() => redis.quit());
const live = new LiveState(redis, prefix);
const court = 'court-a';

async function ready(userId: string, skills: string[], idleSince: number) {
  await live.register({ userId, courtId: court, endpoint: `sip-${userId}`, skills });
  const r = await live.transition(userId, ['logged_out', 'paused'], 'ready', { now: idleSince });
  expect(r?.changed).toBe(true);
}

describe('LiveState (Redis)', () => {
  it('gives a call the longest-idle ready operator with the skill, once', async () => {
    await ready('op-new', [], 3000);
    await ready('op-old', ['complaint'], 1000);
    await ready('op-mid', [], 2000);
    expect(await live.claim(court, 'enquiry', 'call-1', 5000, 9000)).toEqual({ userId: 'op-mid', endpoint: 'sip-op-mid' });
    expect(await live.claim(court, 'complaint', 'call-2', 5000, 9000)).toEqual({ userId: 'op-old', endpoint: 'sip-op-old' });
    expect(await live.claim(court, 'complaint', 'call-3', 5000, 9000)).toEqual({ userId: 'op-new', endpoint: 'sip-op-new' });
    expect(await live.claim(court, 'enquiry', 'call-4', 5000, 9000)).toBeNull();
    expect((await live.operator('op-mid'))?.state).toBe('ringing');
    expect(await live.due(9000)).toEqual(expect.arrayContaining(['op-mid', 'op-old', 'op-new']));
  });

  it('changes state only from the allowed states', async () => {
    const r = await live.transition('op-mid', ['ready'], 'paused', { now: 6000 });
    expect(r).toEqual({ changed: false, previous: 'ringing', courtId: court });
    expect(await live.transition('op-mid', ['ringing'], 'on_call', { now: 6000 })).toEqual({ changed: true, previous: 'ringing', courtId: court });
    expect(await live.transition('nobody', ['ready'], 'paused', { now: 6000 })).toBeNull();
    // Ready again: back in its court's ready set, so the next claim finds it.
    await live.transition('op-mid', ['on_call'], 'ready', { now: 7000 });
    expect(await live.claim(court, 'enquiry', 'call-5', 8000, 9000)).toEqual({ userId: 'op-mid', endpoint: 'sip-op-mid' });
  });

  it('keeps waiting calls in arrival order with positions', async () => {
    await live.enqueue(court, 'late', 200);
    await live.enqueue(court, 'early', 100);
    expect((await live.waiting(court)).map((w) => w.callId)).toEqual(['early', 'late']);
    expect(await live.ahead(court, 'late')).toBe(1);
    expect(await live.dequeue(court, 'early')).toBe(true);
    expect(await live.ahead(court, 'late')).toBe(0);
    expect(await live.ahead(court, 'early')).toBeNull();
  });

  it('serves a whole round in queue order in one call, skipping skills with no free operator', async () => {
    const c2 = 'court-b';
    const readyIn = async (userId: string, skills: string[], idleSince: number) => {
      await live.register({ userId, courtId: c2, endpoint: `sip-${userId}`, skills });
      await live.transition(userId, ['logged_out'], 'ready', { now: idleSince });
    };
    await readyIn('b-judge', ['judge_contact'], 1000);
    await readyIn('b-any', [], 2000);
    for (const [id, at] of [['first', 10], ['second', 20], ['third', 30], ['fourth', 40]] as const) await live.enqueue(c2, id, at);
    const claimed = await live.claimMany(
      c2,
      [
        { callId: 'fourth', skill: 'judge_contact' },
        { callId: 'second', skill: 'complaint' },
        { callId: 'first', skill: 'complaint' },
        { callId: 'third', skill: 'complaint' },
      ],
      5000,
      9000,
    );
    expect(claimed).toEqual([
      { callId: 'first', userId: 'b-any', endpoint: 'sip-b-any' },
      { callId: 'fourth', userId: 'b-judge', endpoint: 'sip-b-judge' },
    ]);
    expect((await live.waiting(c2)).map((w) => w.callId)).toEqual(['second', 'third']);
    expect((await live.operator('b-any'))).toMatchObject({ state: 'ringing', callId: 'first' });
  });
});
