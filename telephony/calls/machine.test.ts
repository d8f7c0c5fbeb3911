import { describe, expect, it } from 'vitest';
import { newCall, step } from './machine.ts';
import type { CallCommand, CallInput, CallState, MachineSettings } from './types.ts';

type Input = CallInput extends infer I ? (I extends unknown ? Omit<I, 'at'> : never) : never;
type Step = Input | ((s: CallState) => Input);

const settings: MachineSettings = { ringMs: 20_000, maxWaitMs: 180_000, menuTimeoutMs: 5000, positionFirstMs: 3000, positionEveryMs: 30_000, transferRingMs: 30_000, caseEntryTimeoutMs: 8000, messageMaxSeconds: 120 };

/** Drives one call through inputs, keeping every command it asked for. */
function drive(inputs: Step[], courtId: string | null = 'court') {
  let state = newCall({ callId: 'c1', channelId: 'ch1', courtId, callerNumber: '13800000000' });
  const commands: CallCommand[] = [];
  let at = 1000;
  for (const make of inputs) {
    const input = (typeof make === 'function' ? make(state) : make) as CallInput;
    at += 1000;
    const t = step(state, { ...input, at } as CallInput, settings);
    state = t.state;
    commands.push(...t.commands);
  }
  const closes = commands.filter((c): c is Extract<CallCommand, { kind: 'close' }> => c.kind === 'close');
  const logs = commands.filter((c): c is Extract<CallCommand, { kind: 'log' }> => c.kind === 'log').map((c) => c.event);
  return { state, commands, closes, logs };
}

const finishPrompt = (s: CallState) => ({ type: 'playback_finished', playbackId: s.playbackId! }) as const;
const arrived = { type: 'arrived', inHours: true } as const;
const assign = { type: 'operator_assigned', userId: 'op1', endpoint: 'op1001' } as const;
const answerLeg = (s: CallState) => ({ type: 'operator_answered', channelId: s.operator!.channelId }) as const;
/** The executor found caller and operator in their bridge: the answer counts from here. */
const bridgedIn = (s: CallState) => ({ type: 'bridged', bridgeId: s.bridgeId! }) as const;
const judge = { kind: 'judge', userId: 'j1', dial: 'PJSIP/8001', label: '张法官' } as const;

describe('call state machine', () => {
  it('answers, tags the channel and plays the menu in hours', () => {
    const { state, commands } = drive([arrived]);
    expect(state.phase).toBe('menu');
    expect(commands.map((c) => c.kind)).toEqual(['answer', 'tagChannel', 'play']);
    expect(commands[2]).toMatchObject({ prompts: ['welcome', 'menu'] });
  });

  it('tells a caller whose number no court serves that it is not in service, and closes the call by the system', () => {
    const { state, commands, closes, logs } = drive([arrived, { type: 'digit', digit: '0' }, finishPrompt], null);
    expect(commands.slice(0, 3).map((c) => c.kind)).toEqual(['answer', 'tagChannel', 'log']);
    expect(commands[2]).toMatchObject({ event: 'failed', data: { reason: 'no_court' } });
    expect(commands.find((c) => c.kind === 'play')).toMatchObject({ prompts: ['not-in-service'] });
    // Never queued: no operator could take it; a key pressed meanwhile changes nothing.
    expect(logs).not.toContain('queued');
    expect(commands.some((c) => c.kind === 'enqueue')).toBe(false);
    expect(state.phase).toBe('ended');
    expect(closes).toEqual([{ kind: 'close', summary: expect.objectContaining({ outcome: 'failed', hangupBy: 'system', skill: null }) }]);
  });

  it.each([
    ['2', 'enquiry'],
    ['3', 'complaint'],
    ['0', 'general'],
  ])('digit %s queues the caller for skill %s', (digit, skill) => {
    const { state, commands, logs } = drive([arrived, { type: 'digit', digit }]);
    expect(state.phase).toBe('queued');
    expect(state.skill).toBe(skill);
    expect(commands).toContainEqual({ kind: 'enqueue', skill, enqueuedAt: 3000 });
    expect(logs).toEqual(['menu_choice', 'queued']);
    expect(commands).toContainEqual({ kind: 'stopPlayback', playbackId: 'c1-p1' });
    // The queue entry (and with it the operator's claim) goes out before the prompt's stop and the music.
    const kinds = commands.map((c) => c.kind);
    expect(kinds.indexOf('enqueue')).toBeLessThan(kinds.indexOf('stopPlayback'));
    expect(kinds.indexOf('stopPlayback')).toBeLessThan(kinds.indexOf('startMoh'));
  });

  it('repeats the menu twice on invalid or no input, then queues for an operator', () => {
    const { state, logs, commands } = drive([arrived, { type: 'digit', digit: '7' }, finishPrompt, { type: 'timer', name: 'menu' }, { type: 'digit', digit: '#' }]);
    expect(logs).toEqual(['menu_invalid', 'menu_no_input', 'menu_invalid', 'menu_fallback', 'queued']);
    expect(commands.filter((c) => c.kind === 'play').map((c) => (c as { prompts: string[] }).prompts)).toEqual([
      ['welcome', 'menu'],
      ['invalid', 'menu'],
      ['invalid', 'menu'],
    ]);
    expect(state).toMatchObject({ phase: 'queued', skill: 'general' });
  });

  it('ignores the menu timer while the prompt still plays', () => {
    const { logs } = drive([arrived, { type: 'timer', name: 'menu' }]);
    expect(logs).toEqual([]);
  });

  it('after hours: notice, then records a message and closes as message_left', () => {
    const { state, commands, closes, logs } = drive([{ type: 'arrived', inHours: false }, finishPrompt, { type: 'recording_finished', name: 'c1-message', durationSeconds: 4 }, finishPrompt]);
    expect(logs).toEqual(['after_hours', 'recording_started', 'message_left', 'hangup']);
    expect(commands).toContainEqual({ kind: 'intake', what: 'message', recordingName: 'c1-message' });
    expect(closes).toHaveLength(1);
    expect(closes[0]!.summary).toMatchObject({ outcome: 'message_left', hangupBy: 'system', inHours: false });
    expect(state.phase).toBe('ended');
  });

  it('rings the assigned operator, bridges on answer and closes answered when the caller hangs up', () => {
    const { commands, closes, logs } = drive([arrived, { type: 'digit', digit: '0' }, assign, answerLeg, bridgedIn, { type: 'hold' }, { type: 'caller_hangup' }]);
    expect(commands).toContainEqual({ kind: 'ringOperator', leg: { userId: 'op1', endpoint: 'op1001', channelId: 'c1-op2' } });
    expect(commands).toContainEqual({ kind: 'bridge', bridgeId: 'c1-br', channelIds: ['ch1', 'c1-op2'] });
    expect(commands).toContainEqual({ kind: 'operatorWrapUp', userId: 'op1' });
    expect(logs).toEqual(['menu_choice', 'queued', 'operator_rung', 'answered', 'hold', 'hangup']);
    expect(closes.map((c) => c.summary)).toEqual([
      { outcome: 'answered', hangupBy: 'caller', inHours: true, skill: 'general', queuedAt: 3000, answeredAt: 5000, answeredBy: 'op1' },
    ]);
  });

  it('hangs up the caller when the operator hangs up first', () => {
    const { commands, closes } = drive([arrived, { type: 'digit', digit: '2' }, assign, answerLeg, bridgedIn, (s) => ({ type: 'operator_gone', channelId: s.operator!.channelId, reason: 'hangup' })]);
    expect(commands).toContainEqual({ kind: 'hangupCaller' });
    expect(closes[0]!.summary).toMatchObject({ outcome: 'answered', hangupBy: 'operator' });
  });

  it('queued callers hear hold music at once; the position comes only if no operator was rung in time', () => {
    const queued = drive([arrived, { type: 'digit', digit: '2' }]);
    const afterDigit = queued.commands.slice(queued.commands.findIndex((c) => c.kind === 'enqueue'));
    expect(afterDigit.map((c) => c.kind)).toEqual(['enqueue', 'stopPlayback', 'startMoh', 'publish', 'startTimer', 'startTimer']);
    expect(afterDigit).toContainEqual({ kind: 'startTimer', name: 'position', ms: settings.positionFirstMs });
    expect(afterDigit.some((c) => c.kind === 'announcePosition')).toBe(false);

    const waited = drive([arrived, { type: 'digit', digit: '2' }, { type: 'timer', name: 'position' }]);
    expect(waited.commands.slice(-3).map((c) => c.kind)).toEqual(['stopMoh', 'announcePosition', 'startTimer']);
    expect(waited.commands.at(-1)).toEqual({ kind: 'startTimer', name: 'position', ms: settings.positionEveryMs });

    const rungFirst = drive([arrived, { type: 'digit', digit: '2' }, assign, { type: 'timer', name: 'position' }]);
    expect(rungFirst.commands.some((c) => c.kind === 'announcePosition')).toBe(false);
  });

  it('a retry after a missed ring keeps the music playing', () => {
    const { commands } = drive([arrived, { type: 'digit', digit: '0' }, assign, { type: 'timer', name: 'ring' }]);
    const retry = commands.slice(commands.findIndex((c) => c.kind === 'operatorMissed') + 1);
    expect(retry).toEqual([{ kind: 'enqueue', skill: 'general', enqueuedAt: 3000 }]);
  });

  it('on ring timeout hangs up that leg, pauses the operator and queues again keeping the place', () => {
    const { state, commands, logs } = drive([arrived, { type: 'digit', digit: '0' }, assign, { type: 'timer', name: 'ring' }]);
    expect(commands).toContainEqual({ kind: 'hangupOperator', channelId: 'c1-op2' });
    expect(commands).toContainEqual({ kind: 'operatorMissed', userId: 'op1' });
    expect(commands.filter((c) => c.kind === 'enqueue')).toEqual([
      { kind: 'enqueue', skill: 'general', enqueuedAt: 3000 },
      { kind: 'enqueue', skill: 'general', enqueuedAt: 3000 },
    ]);
    expect(logs).toEqual(['menu_choice', 'queued', 'operator_rung', 'operator_missed']);
    expect(state.phase).toBe('queued');
  });

  it('a busy or unanswered leg counts as missed; a stale leg is ignored', () => {
    const stale = drive([arrived, { type: 'digit', digit: '0' }, assign, { type: 'operator_gone', channelId: 'other', reason: 'busy' }]);
    expect(stale.state.phase).toBe('ringing');
    const missed = drive([arrived, { type: 'digit', digit: '0' }, assign, (s) => ({ type: 'operator_gone', channelId: s.operator!.channelId, reason: 'busy' })]);
    expect(missed.logs).toContain('operator_missed');
    expect(missed.state.phase).toBe('queued');
  });

  it('after the maximum wait offers a callback; pressing 1 requests one', () => {
    const { commands, closes, logs } = drive([arrived, { type: 'digit', digit: '0' }, { type: 'timer', name: 'max_wait' }, { type: 'digit', digit: '1' }, finishPrompt]);
    expect(commands).toContainEqual({ kind: 'dequeue' });
    expect(commands).toContainEqual({ kind: 'intake', what: 'callback' });
    expect(logs).toEqual(['menu_choice', 'queued', 'max_wait', 'callback_requested', 'hangup']);
    expect(closes[0]!.summary).toMatchObject({ outcome: 'callback_requested', hangupBy: 'system' });
  });

  it('after the maximum wait without a choice records a message', () => {
    const { closes, logs } = drive([arrived, { type: 'digit', digit: '0' }, { type: 'timer', name: 'max_wait' }, finishPrompt, { type: 'timer', name: 'offer' }, finishPrompt, { type: 'caller_hangup' }]);
    expect(logs).toEqual(['menu_choice', 'queued', 'max_wait', 'recording_started', 'message_left', 'hangup']);
    expect(closes[0]!.summary.outcome).toBe('message_left');
  });

  it('max wait while an operator rings waits for that ring, then offers', () => {
    const { state, logs } = drive([arrived, { type: 'digit', digit: '0' }, assign, { type: 'timer', name: 'max_wait' }, { type: 'timer', name: 'ring' }]);
    expect(state.phase).toBe('offer');
    expect(logs.slice(-2)).toEqual(['operator_missed', 'max_wait']);
  });

  it('releases an operator assigned after the call stopped waiting', () => {
    const { commands } = drive([arrived, { type: 'digit', digit: '0' }, { type: 'timer', name: 'max_wait' }, assign]);
    expect(commands).toContainEqual({ kind: 'releaseOperator', userId: 'op1' });
  });

  const hangupAt: Array<[string, Step[], string]> = [
    ['before the menu', [arrived], 'abandoned_in_menu'],
    ['in the menu', [arrived, finishPrompt], 'abandoned_in_menu'],
    ['during the after-hours notice', [{ type: 'arrived', inHours: false }], 'after_hours'],
    ['while recording', [{ type: 'arrived', inHours: false }, finishPrompt], 'message_left'],
    ['in the queue', [arrived, { type: 'digit', digit: '3' }], 'abandoned_in_queue'],
    ['while an operator rings', [arrived, { type: 'digit', digit: '3' }, assign], 'abandoned_in_queue'],
    ['at the callback offer', [arrived, { type: 'digit', digit: '3' }, { type: 'timer', name: 'max_wait' }], 'abandoned_in_queue'],
    ['during the callback confirmation', [arrived, { type: 'digit', digit: '3' }, { type: 'timer', name: 'max_wait' }, { type: 'digit', digit: '1' }], 'callback_requested'],
    ['in conversation', [arrived, { type: 'digit', digit: '3' }, assign, answerLeg, bridgedIn], 'answered'],
    ['keying the case number', [arrived, { type: 'digit', digit: '1' }, { type: 'digit', digit: '2' }], 'abandoned_in_menu'],
    ['while a menu transfer rings', [arrived, { type: 'digit', digit: '1' }, { type: 'digit', digit: '7' }, { type: 'digit', digit: '#' }, { type: 'case_found', target: judge, caseNumber: '（2024）豫0811民初1234号' }], 'abandoned_in_menu'],
    ['talking with the judge a menu transfer reached', [arrived, { type: 'digit', digit: '1' }, { type: 'digit', digit: '7' }, { type: 'digit', digit: '#' }, { type: 'case_found', target: judge, caseNumber: 'x' }, (s) => ({ type: 'transfer_answered', channelId: s.transfer!.channelId })], 'transferred'],
    ['while an attended transfer is consulted', [arrived, { type: 'digit', digit: '3' }, assign, answerLeg, bridgedIn, { type: 'transfer_requested', mode: 'attended', target: judge, operatorId: 'op1' }], 'answered'],
  ];
  it.each(hangupAt)('caller hangs up %s: one close, outcome %s', (_name, inputs, outcome) => {
    const { closes, state, commands } = drive([...inputs, { type: 'caller_hangup' }, { type: 'caller_hangup' }, { type: 'digit', digit: '1' }]);
    expect(closes).toHaveLength(1);
    expect(closes[0]!.summary).toMatchObject({ outcome, hangupBy: 'caller' });
    expect(state.phase).toBe('ended');
    expect(commands.at(-1)!.kind).toBe('close');
  });

  // Asterisk went away under the call (shut down, or found restarted on reconnect): the same clean-up as a caller
  // hangup, closed by the system; a call no person had taken failed rather than being abandoned.
  it.each(hangupAt)('Asterisk going away %s: closed by the system, once', (_name, inputs, outcome) => {
    const { closes, state, commands } = drive([...inputs, { type: 'caller_lost', reason: 'asterisk_restart' }, { type: 'caller_hangup' }]);
    expect(closes).toHaveLength(1);
    expect(closes[0]!.summary).toMatchObject({ outcome: outcome.startsWith('abandoned_') ? 'failed' : outcome, hangupBy: 'system' });
    expect(commands).toContainEqual({ kind: 'log', event: 'hangup', data: { by: 'system', phase: expect.any(String), reason: 'asterisk_restart' } });
    expect(state.phase).toBe('ended');
  });

  it('a call lost with Asterisk is cleaned up like a hangup: out of the queue, the operator to wrap-up or released', () => {
    const queued = drive([arrived, { type: 'digit', digit: '2' }, { type: 'caller_lost', reason: 'asterisk_shutdown' }]);
    expect(queued.commands).toContainEqual({ kind: 'dequeue' });
    const ringing = drive([arrived, { type: 'digit', digit: '2' }, assign, { type: 'caller_lost', reason: 'asterisk_shutdown' }]);
    expect(ringing.commands).toContainEqual({ kind: 'releaseOperator', userId: 'op1' });
    expect(ringing.commands.some((c) => c.kind === 'operatorMissed')).toBe(false);
    const talking = drive([arrived, { type: 'digit', digit: '2' }, assign, answerLeg, bridgedIn, { type: 'caller_lost', reason: 'asterisk_restart' }]);
    expect(talking.commands).toContainEqual({ kind: 'operatorWrapUp', userId: 'op1' });
    expect(talking.commands).toContainEqual({ kind: 'hangupCaller' });
    expect(talking.closes[0]!.summary).toMatchObject({ outcome: 'answered', hangupBy: 'system', answeredBy: 'op1' });
    // Asterisk's hangups of the other channels that follow change nothing.
    const after = step(talking.state, { type: 'operator_gone', channelId: talking.state.operator!.channelId, reason: 'gone', at: 99_000 }, settings);
    expect(after.commands).toEqual([]);
  });

  it('every way a call ends names its party: caller, operator, system (closing prompt, failure, Asterisk gone)', () => {
    const party = (inputs: Step[]) => drive(inputs).closes[0]!.summary.hangupBy;
    const talking: Step[] = [arrived, { type: 'digit', digit: '2' }, assign, answerLeg, bridgedIn];
    expect(party([...talking, { type: 'caller_hangup' }])).toBe('caller');
    expect(party([...talking, (s) => ({ type: 'operator_gone', channelId: s.operator!.channelId, reason: 'hangup' })])).toBe('operator');
    expect(party([arrived, { type: 'digit', digit: '0' }, { type: 'timer', name: 'max_wait' }, { type: 'digit', digit: '1' }, finishPrompt])).toBe('system');
    expect(party([arrived, { type: 'failure', reason: 'answer failed' }])).toBe('system');
    expect(party([...talking, { type: 'caller_lost', reason: 'asterisk_restart' }])).toBe('system');
    // The transfer target's party ('target') is in transfer-machine.test.ts.
  });

  it('a rung operator is released without penalty when the caller hangs up', () => {
    const { commands } = drive([arrived, { type: 'digit', digit: '3' }, assign, { type: 'caller_hangup' }]);
    expect(commands).toContainEqual({ kind: 'releaseOperator', userId: 'op1' });
    expect(commands).toContainEqual({ kind: 'hangupOperator', channelId: 'c1-op2' });
    expect(commands.some((c) => c.kind === 'operatorMissed')).toBe(false);
  });

  it('a failure closes the call as failed and hangs up', () => {
    const { closes, commands } = drive([arrived, { type: 'failure', reason: 'answer failed' }]);
    expect(closes[0]!.summary).toMatchObject({ outcome: 'failed', hangupBy: 'system' });
    expect(commands).toContainEqual({ kind: 'hangupCaller' });
  });
  describe('a bridge Asterisk refused (bridge_failed)', () => {
    const refused = (s: CallState) => ({ type: 'bridge_failed', bridgeId: s.bridgeId!, channelIds: [s.operator!.channelId, s.channelId] }) as const;
    const answered = [arrived, { type: 'digit', digit: '0' } as const, assign, answerLeg];

    it('hangs up the operator, frees them and queues the caller again in their old place; leaving then is not answered', () => {
      const { state, commands: all, closes, logs } = drive([...answered, refused]);
      const commands = all.slice(drive(answered).commands.length); // the refused step's own
      expect(state).toMatchObject({ phase: 'queued', answeredAt: undefined, answeredBy: undefined, operator: undefined, bridgeId: undefined });
      expect(commands).toEqual(
        expect.arrayContaining([
          { kind: 'hangupOperator', channelId: 'c1-op2' },
          { kind: 'destroyBridge', bridgeId: 'c1-br' },
          { kind: 'operatorNotBridged', userId: 'op1' },
          { kind: 'enqueue', skill: 'general', enqueuedAt: 3000 },
          { kind: 'startTimer', name: 'max_wait', ms: settings.maxWaitMs - 3000 },
        ]),
      );
      expect(logs.slice(-2)).toEqual(['answered', 'bridge_failed']);
      expect(closes).toEqual([]);
      const left = drive([...answered, refused, { type: 'caller_hangup' }]);
      expect(left.closes[0]!.summary).toMatchObject({ outcome: 'abandoned_in_queue', hangupBy: 'caller', queuedAt: 3000, answeredAt: null, answeredBy: null });
    });

    it('the next answer, once bridged, is the one the call counts', () => {
      const next = { type: 'operator_assigned', userId: 'op2', endpoint: 'op1002' } as const;
      const { closes, logs } = drive([...answered, refused, next, answerLeg, bridgedIn, { type: 'caller_hangup' }]);
      expect(logs).toEqual(['menu_choice', 'queued', 'operator_rung', 'answered', 'bridge_failed', 'operator_rung', 'answered', 'hangup']);
      expect(closes[0]!.summary).toMatchObject({ outcome: 'answered', answeredAt: 8000, answeredBy: 'op2' });
    });

    it('a caller who hangs up before the bridge is found was not answered; the operator goes straight back to ready', () => {
      const { closes, commands, logs } = drive([...answered, { type: 'caller_hangup' }]);
      expect(closes[0]!.summary).toMatchObject({ outcome: 'abandoned_in_queue', hangupBy: 'caller', answeredAt: null, answeredBy: null });
      expect(commands).toContainEqual({ kind: 'operatorNotBridged', userId: 'op1' });
      expect(commands.some((c) => c.kind === 'operatorWrapUp')).toBe(false);
      expect(logs.slice(-2)).toEqual(['bridge_failed', 'hangup']);
      const lost = drive([...answered, { type: 'caller_lost', reason: 'asterisk_restart' }]);
      expect(lost.closes[0]!.summary).toMatchObject({ outcome: 'failed', hangupBy: 'system', answeredAt: null });
    });

    it('an operator who hangs up before the bridge is found leaves the caller waiting for the next one', () => {
      const { state, commands } = drive([...answered, (s) => ({ type: 'operator_gone', channelId: s.operator!.channelId, reason: 'hangup' })]);
      expect(state).toMatchObject({ phase: 'queued', answeredAt: undefined, operator: undefined });
      expect(commands).toContainEqual({ kind: 'log', event: 'bridge_failed', operatorId: 'op1', data: { reason: 'operator_left', channelId: 'c1-op2', requeued: true } });
      expect(commands.some((c) => c.kind === 'hangupCaller')).toBe(false);
    });

    it('the caller waits only the rest of their maximum wait; once it is over they are offered a callback', () => {
      const waited = drive([...answered, refused]);
      expect(waited.commands).toContainEqual({ kind: 'startTimer', name: 'max_wait', ms: settings.maxWaitMs - 3000 });
      // The maximum wait ran out while the operator's phone rang.
      const late = drive([arrived, { type: 'digit', digit: '0' }, assign, { type: 'timer', name: 'max_wait' }, answerLeg, refused]);
      expect(late.state.phase).toBe('offer');
      expect(late.commands.filter((c) => c.kind === 'enqueue')).toHaveLength(1);
    });

    it('another bridge (a transfer’s) is recorded only', () => {
      const other = (s: CallState) => ({ type: 'bridge_failed', bridgeId: 'c1-consult', channelIds: [s.operator!.channelId, 'judge-ch'] }) as const;
      const { state, commands } = drive([...answered, other]);
      expect(state).toMatchObject({ phase: 'connected', answeredBy: 'op1', bridgeId: 'c1-br' });
      expect(commands.at(-1)).toEqual({ kind: 'log', event: 'bridge_failed', operatorId: 'op1', data: { bridgeId: 'c1-consult', channelIds: ['c1-op2', 'judge-ch'], requeued: false } });
    });
  });
});
