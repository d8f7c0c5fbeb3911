import { describe, expect, it } from 'vitest';
import { newCall, step } from './machine.ts';
import type { CallCommand, CallInput, CallState, MachineSettings } from './types.ts';

const settings: MachineSettings = { ringMs: 20_000, maxWaitMs: 180_000, menuTimeoutMs: 5000, positionFirstMs: 3000, positionEveryMs: 30_000, transferRingMs: 30_000, caseEntryTimeoutMs: 8000, messageMaxSeconds: 120 };
const base = newCall({ callId: 'c1', channelId: 'ch1', courtId: 'court', callerNumber: '13800000000' });
const seen = { operatorUp: false, operatorAnswered: false, bridged: false };
const leg = { userId: 'op1', endpoint: 'op1001', channelId: 'c1-op1' };

function adopt(state: CallState, facts: Partial<typeof seen> = {}, at = 100_000) {
  return step(state, { type: 'adopted', ...seen, ...facts, at } as CallInput, settings);
}
const kinds = (commands: CallCommand[]) => commands.map((c) => c.kind);
const logs = (commands: CallCommand[]) => commands.flatMap((c) => (c.kind === 'log' ? [c.event] : []));

describe('taking over a call after a controller restart', () => {
  it('a caller in the menu goes to the general queue, the interrupted prompt stopped', () => {
    const t = adopt({ ...base, playbackId: 'c1-p1', seq: 1 });
    expect(t.state).toMatchObject({ phase: 'queued', skill: 'general', enqueuedAt: 100_000 });
    expect(kinds(t.commands).slice(0, 2)).toEqual(['stopPlayback', 'log']);
    expect(logs(t.commands)).toEqual(['menu_fallback', 'queued']);
    expect(t.commands).toContainEqual({ kind: 'startTimer', name: 'max_wait', ms: settings.maxWaitMs });
  });

  it('a queued caller keeps their enqueue time (their place) and the rest of the maximum wait', () => {
    const t = adopt({ ...base, phase: 'queued', skill: 'enquiry', enqueuedAt: 40_000 });
    expect(t.commands).toContainEqual({ kind: 'enqueue', skill: 'enquiry', enqueuedAt: 40_000 });
    expect(t.commands).toContainEqual({ kind: 'startTimer', name: 'max_wait', ms: settings.maxWaitMs - 60_000 });
    expect(logs(t.commands)).toEqual([]);
  });

  it('a ring in progress is released without penalty and the caller re-queued; an answered ring is bridged', () => {
    const ringing: CallState = { ...base, phase: 'ringing', skill: 'general', enqueuedAt: 90_000, operator: leg };
    const released = adopt(ringing, { operatorUp: true });
    expect(released.state).toMatchObject({ phase: 'queued', operator: undefined, enqueuedAt: 90_000 });
    expect(kinds(released.commands)).toEqual(expect.arrayContaining(['hangupOperator', 'releaseOperator', 'enqueue']));
    expect(kinds(released.commands)).not.toContain('operatorMissed');
    const answered = adopt(ringing, { operatorUp: true, operatorAnswered: true });
    expect(answered.state).toMatchObject({ phase: 'connected', answeredBy: 'op1' });
    expect(kinds(answered.commands)).toContain('bridge');
  });

  it('a bridged call goes on; one whose operator left meanwhile ends as answered by the operator', () => {
    const connected: CallState = { ...base, phase: 'connected', operator: leg, bridgeId: 'c1-br', answeredAt: 1, answeredBy: 'op1' };
    expect(adopt(connected, { operatorUp: true, operatorAnswered: true, bridged: true }).commands).toEqual([]);
    expect(kinds(adopt(connected, { operatorUp: true, operatorAnswered: true }).commands)).toEqual(['bridge']);
    const ended = adopt(connected);
    expect(ended.state.phase).toBe('ended');
    expect(ended.commands.at(-1)).toMatchObject({ kind: 'close', summary: { outcome: 'answered', hangupBy: 'operator' } });
    expect(kinds(ended.commands)).toEqual(expect.arrayContaining(['hangupCaller', 'destroyBridge', 'operatorWrapUp']));
  });

  it('a call answered but not yet found bridged: found in the bridge now, it counts from now; its operator gone, the caller waits again', () => {
    const answered: CallState = { ...base, phase: 'connected', skill: 'general', enqueuedAt: 90_000, operator: leg, bridgeId: 'c1-br', answeredAt: 95_000, answeredBy: 'op1', bridging: true };
    const found = adopt(answered, { operatorUp: true, operatorAnswered: true, bridged: true });
    expect(found.state).toMatchObject({ phase: 'connected', answeredBy: 'op1' });
    expect(found.state.bridging).toBeUndefined();
    const requeued = adopt(answered);
    expect(requeued.state).toMatchObject({ phase: 'queued', enqueuedAt: 90_000, answeredAt: undefined, operator: undefined });
    expect(requeued.commands).toContainEqual({ kind: 'log', event: 'bridge_failed', operatorId: 'op1', data: { reason: 'controller_restart', requeued: true } });
    expect(kinds(requeued.commands)).not.toContain('hangupCaller');
  });

  it('a call saved before the bridging mark existed was bridged on answer: its caller leaving closes it answered', () => {
    const saved: CallState = { ...base, phase: 'connected', operator: leg, bridgeId: 'c1-br', answeredAt: 1, answeredBy: 'op1' };
    expect(step(saved, { type: 'caller_hangup', at: 5 }, settings).commands.at(-1)).toMatchObject({ kind: 'close', summary: { outcome: 'answered', answeredBy: 'op1', answeredAt: 1 } });
  });

  it('a recording in progress is kept as a message; a closing call is closed with its outcome', () => {
    const recording = adopt({ ...base, phase: 'recording', recordingName: 'c1-message', messageReason: 'after_hours' });
    expect(recording.state).toMatchObject({ phase: 'closing', closingOutcome: 'message_left' });
    expect(kinds(recording.commands).slice(0, 3)).toEqual(['stopRecording', 'log', 'intake']);
    const closing = adopt({ ...base, phase: 'closing', closingOutcome: 'callback_requested', playbackId: 'c1-p9' });
    expect(closing.commands.at(-1)).toMatchObject({ kind: 'close', summary: { outcome: 'callback_requested', hangupBy: 'system' } });
  });

  it('prompts whose end was lost are played again (offer, message prompt)', () => {
    const offer = adopt({ ...base, phase: 'offer', maxWaitReached: true, playbackId: 'c1-p3', seq: 3 });
    expect(offer.state).toMatchObject({ phase: 'offer', playbackId: 'c1-p4' });
    expect(offer.commands).toContainEqual({ kind: 'play', playbackId: 'c1-p4', prompts: ['offer-callback'] });
    const message = adopt({ ...base, phase: 'message_prompt', seq: 2 });
    expect(message.commands).toEqual([{ kind: 'play', playbackId: 'c1-p3', prompts: ['leave-message'] }]);
  });
});
