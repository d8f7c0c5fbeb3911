import { describe, expect, it } from 'vitest';
import type { CallSnapshot } from './call-store.ts';
import { newCall } from './machine.ts';
import { planReconcile } from './reconcile.ts';
import type { CallState } from './types.ts';

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const snap = (n: number, extra: Partial<CallState> = {}): CallSnapshot => ({
  state: { ...newCall({ callId: id(n), channelId: `ch${n}`, courtId: null, callerNumber: '1' }), ...extra },
  arrivedAt: 1,
  dialled: '12368',
  eventSeq: 1,
});
const ch = (channelId: string, extra: Record<string, string> = {}) => ({ id: channelId, name: '', state: 'Up', callerNumber: '', dialled: '', ...extra });
const nobody = { call: () => false, channel: () => false };

describe('matching ARI with the saved calls', () => {
  it('adopts live calls, closes vanished ones, hangs up orphan legs and destroys orphan bridges', () => {
    const bridged = snap(1, { phase: 'connected', operator: { userId: 'op', endpoint: 'e', channelId: `${id(1)}-op1` }, bridgeId: `${id(1)}-br` });
    const gone = snap(2, { phase: 'queued' });
    const view = {
      channels: [ch('ch1'), ch(`${id(1)}-op1`, { callId: id(1) }), ch(`${id(2)}-op3`, { callId: id(2) }), ch('ch9'), ch('other')],
      bridges: [{ id: `${id(1)}-br`, channelIds: ['ch1', `${id(1)}-op1`] }, { id: `${id(2)}-br`, channelIds: [] }, { id: 'not-ours', channelIds: [] }],
      appChannelIds: ['ch1', `${id(1)}-op1`, 'ch9'],
    };
    const plan = planReconcile(view, [bridged, gone], nobody);
    expect(plan.adopt).toEqual([{ snapshot: bridged, operatorUp: true, operatorAnswered: true, bridged: true }]);
    expect(plan.vanished).toEqual([gone]);
    expect(plan.hangup).toEqual([`${id(2)}-op3`]);
    expect(plan.destroyBridges).toEqual([`${id(2)}-br`]);
    expect(plan.unknownCallers.map((c) => c.id)).toEqual(['ch9']);
  });

  it("keeps the bridge of a call taken over whose saved state predates the bridge (killed before the save)", () => {
    const ringing = snap(3, { phase: 'ringing', operator: { userId: 'op', endpoint: 'e', channelId: `${id(3)}-op1` } });
    const view = { channels: [ch('ch3'), ch(`${id(3)}-op1`, { callId: id(3) })], bridges: [{ id: `${id(3)}-br`, channelIds: ['ch3', `${id(3)}-op1`] }], appChannelIds: ['ch3', `${id(3)}-op1`] };
    const plan = planReconcile(view, [ringing], nobody);
    expect(plan.destroyBridges).toEqual([]);
    expect(plan.adopt[0]).toMatchObject({ operatorUp: true, operatorAnswered: true });
  });

  it('leaves calls this controller still holds to its own resync', () => {
    const plan = planReconcile({ channels: [ch('ch1')], bridges: [], appChannelIds: ['ch1'] }, [snap(1)], { call: (c) => c === id(1), channel: (c) => c === 'ch1' });
    expect(plan).toEqual({ adopt: [], vanished: [], unknownCallers: [], hangup: [], destroyBridges: [] });
  });
});
