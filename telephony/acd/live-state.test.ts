import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { useRedisPrefix, testRedisUrl } from '../../test/harness/redis.ts';
import { LiveState } from './live-state.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
afterAll(() => redis.quit());
const live = new LiveState(redis, prefix);
const court = 'court-a';

async function ready(userId: string, skills: string[], idleSince: number, courtId = court) {
  await live.register({ userId, courtId, endpoint: `sip-${userId}`, skills });
  const r = await live.transition(userId, ['logged_out', 'paused'], 'ready', { now: idleSince });
  expect(r?.changed).toBe(true);
}

/** One dispatch round for `courtId` at 5000, the rings due at 9000: each [call, skill] in the order given. */
function claimRound(courtId: string, calls: Array<[callId: string, skill: string]>) {
  return live.claimMany(courtId, calls.map(([callId, skill]) => ({ callId, skill })), 5000, 9000);
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
    expect(r).toEqual({ changed: false, previous: 'ringing', courtId: court, to: 'paused', reason: '' });
    expect(await live.transition('op-mid', ['ringing'], 'on_call', { now: 6000 })).toEqual({ changed: true, previous: 'ringing', courtId: court, to: 'on_call', reason: '' });
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
    await ready('b-judge', ['judge_contact'], 1000, c2);
    await ready('b-any', [], 2000, c2);
    for (const [id, at] of [['first', 10], ['second', 20], ['third', 30], ['fourth', 40]] as const) await live.enqueue(c2, id, at);
    const claimed = await claimRound(c2, [
      ['fourth', 'judge_contact'],
      ['second', 'complaint'],
      ['first', 'complaint'],
      ['third', 'complaint'],
    ]);
    expect(claimed).toEqual([
      { callId: 'first', userId: 'b-any', endpoint: 'sip-b-any' },
      { callId: 'fourth', userId: 'b-judge', endpoint: 'sip-b-judge' },
    ]);
    expect((await live.waiting(c2)).map((w) => w.callId)).toEqual(['second', 'third']);
    expect((await live.operator('b-any'))).toMatchObject({ state: 'ringing', callId: 'first' });
  });

  it('walks past more ready operators than one read holds, dropping stale ones, to the first with the skill', async () => {
    const c3 = 'court-c';
    for (let i = 0; i < 40; i++) await ready(`c-comp-${i}`, ['complaint'], 1000 + 10 * i, c3);
    // c-any-0 comes right after the first read's 32: once c-comp-5 is dropped, the second read starts at it.
    await ready('c-any-0', [], 1315, c3);
    for (let i = 1; i < 3; i++) await ready(`c-any-${i}`, [], 2000 + i, c3);
    // Two left the ready state without leaving the ready set (as after a fault): the walk drops them.
    for (const stale of ['c-comp-5', 'c-comp-35']) await redis.hset(`${prefix}:tel:op:${stale}`, 'state', 'paused');
    for (const [id, at] of [['e1', 10], ['e2', 20], ['q1', 30]] as const) await live.enqueue(c3, id, at);
    const claimed = await claimRound(c3, [
      ['e1', 'enquiry'],
      ['e2', 'enquiry'],
      ['q1', 'complaint'],
    ]);
    expect(claimed).toEqual([
      { callId: 'e1', userId: 'c-any-0', endpoint: 'sip-c-any-0' },
      { callId: 'e2', userId: 'c-any-1', endpoint: 'sip-c-any-1' },
      { callId: 'q1', userId: 'c-comp-0', endpoint: 'sip-c-comp-0' },
    ]);
    const readySet = await redis.zrange(`${prefix}:tel:ready:${c3}`, '0', '-1');
    expect(readySet).toHaveLength(38);
    expect(readySet).not.toEqual(expect.arrayContaining(['c-comp-5']));
    expect(readySet).not.toEqual(expect.arrayContaining(['c-comp-35']));
    expect(readySet.slice(0, 2)).toEqual(['c-comp-1', 'c-comp-2']);
    expect(readySet.at(-1)).toBe('c-any-2');
  });

  it("adds new callers to the queue in the claim's own round trip, keeping a place already taken", async () => {
    const c4 = 'court-d';
    await ready('d-any', [], 1000, c4);
    await live.enqueue(c4, 'waiting-long', 5);
    // 'waiting-long' is in the queue already; 'new-1' and 'new-2' arrive with the round, 'new-1' first.
    const claimed = await live.claimMany(c4, [{ callId: 'new-2', skill: 'enquiry' }, { callId: 'new-1', skill: 'enquiry' }], 5000, 9000, [
      { callId: 'new-1', enqueuedAt: 50 },
      { callId: 'new-2', enqueuedAt: 60 },
    ]);
    // One operator: the earliest of this controller's calls takes them, the other waits in its place.
    expect(claimed).toEqual([{ callId: 'new-1', userId: 'd-any', endpoint: 'sip-d-any' }]);
    expect(await live.waiting(c4)).toEqual([
      { callId: 'waiting-long', enqueuedAt: 5 },
      { callId: 'new-2', enqueuedAt: 60 },
    ]);
    // A retry of the same add (the reply was lost) keeps the place it has.
    await live.claimMany(c4, [], 6000, 9000, [{ callId: 'new-2', enqueuedAt: 999 }]);
    expect((await live.waiting(c4)).find((w) => w.callId === 'new-2')?.enqueuedAt).toBe(60);
  });

  it("turns a release into a sign-out for an operator who left mid-call, and clears the mark on their own choice", async () => {
    const c5 = 'court-e';
    await ready('e-op', [], 1000, c5);
    await live.transition('e-op', ['ready'], 'on_call', { now: 2000 });
    await live.markLeaving('e-op');
    // A move refused (a stale sweep, a choice made in the wrong state) keeps the mark.
    expect(await live.transition('e-op', ['ringing'], 'ready', { now: 2500, leaving: 'redirect' })).toMatchObject({ changed: false });
    expect(await live.transition('e-op', ['ready'], 'paused', { now: 2500, leaving: 'clear' })).toMatchObject({ changed: false });
    const released = await live.transition('e-op', ['on_call'], 'ready', { now: 3000, leaving: 'redirect' });
    expect(released).toEqual({ changed: true, previous: 'on_call', courtId: c5, to: 'logged_out', reason: 'signed_out' });
    expect(await live.operator('e-op')).toMatchObject({ state: 'logged_out', reason: 'signed_out' });
    expect(await redis.zscore(`${prefix}:tel:ready:${c5}`, 'e-op')).toBeNull();
    expect(await live.takeLeaving('e-op')).toBe(false);
    // No mark: a release is a release.
    await live.transition('e-op', ['logged_out'], 'on_call', { now: 4000 });
    expect(await live.transition('e-op', ['on_call'], 'ready', { now: 5000, leaving: 'redirect' })).toMatchObject({ changed: true, to: 'ready' });
    // Their own choice clears a mark and does what they chose.
    await live.markLeaving('e-op');
    expect(await live.transition('e-op', ['ready'], 'paused', { now: 6000, reason: 'break', leaving: 'clear' })).toMatchObject({ changed: true, to: 'paused', reason: 'break' });
    expect(await live.takeLeaving('e-op')).toBe(false);
  });
});
