import { describe, expect, it } from 'vitest';
import { newAttempt, step, unansweredOutcome } from './machine.ts';
import type { AttemptCommand, AttemptInputBody, AttemptState } from './types.ts';

const settings = { operatorRingMs: 20_000, callerRingMs: 30_000, inputTimeoutMs: 5000 };
const id = '11111111-1111-1111-1111-111111111111';

/** Runs inputs through the machine from a new attempt; returns the last state and every command in order. */
function run(mode: 'operator' | 'survey', inputs: AttemptInputBody[]): { state: AttemptState; commands: AttemptCommand[] } {
  let state = newAttempt({ id, attempt: 1, mode });
  const commands: AttemptCommand[] = [];
  let at = 1000;
  for (const input of [{ type: 'start' } as const, ...inputs]) {
    const t = step(state, { ...input, at: (at += 1000) }, settings);
    state = t.state;
    commands.push(...t.commands);
  }
  return { state, commands };
}

const kinds = (commands: AttemptCommand[]) => commands.map((c) => c.kind);
const finish = (commands: AttemptCommand[]) => commands.find((c) => c.kind === 'finish');
const legs = (commands: AttemptCommand[]) => commands.flatMap((c) => (c.kind === 'legEnded' ? [[c.summary.leg, c.summary.outcome]] : []));
const playbackOf = (state: AttemptState) => state.playbackId!;
/** Operator mode: the softphone answers, then the caller: both are up and the bridge is asked for. */
const bothAnswered: AttemptInputBody[] = [
  { type: 'answered', leg: 'operator' },
  { type: 'answered', leg: 'caller' },
];

describe('outbound attempt machine: operator first, then the caller', () => {
  it('rings the operator, dials the caller once they answer, bridges, and ends both legs as answered', () => {
    const { state, commands } = run('operator', [...bothAnswered, { type: 'bridged' }, { type: 'leg_gone', leg: 'caller', cause: 16, reason: 'Normal Clearing' }]);
    expect(state.phase).toBe('ended');
    const originates = commands.filter((c) => c.kind === 'originate');
    expect(originates).toEqual([
      { kind: 'originate', leg: 'operator', channelId: `ob-${id}-1-op`, timeoutSeconds: 25 },
      { kind: 'originate', leg: 'caller', channelId: `ob-${id}-1-cl`, timeoutSeconds: 35 },
    ]);
    expect(commands).toContainEqual({ kind: 'bridge', bridgeId: `ob-${id}-1-br`, channelIds: [`ob-${id}-1-op`, `ob-${id}-1-cl`] });
    expect(commands.filter((c) => c.kind === 'presence')).toEqual([
      { kind: 'presence', move: 'on_call' },
      { kind: 'presence', move: 'wrap_up' },
    ]);
    expect(legs(commands)).toEqual([
      ['operator', 'answered'],
      ['caller', 'answered'],
    ]);
    expect(finish(commands)).toEqual({ kind: 'finish', result: 'connected' });
  });

  it('an operator who does not answer in the ring time is hung up, paused as missed, and the caller is never dialled', () => {
    const { commands } = run('operator', [{ type: 'timer', name: 'ring' }]);
    expect(commands.filter((c) => c.kind === 'originate')).toHaveLength(1);
    expect(commands).toContainEqual({ kind: 'hangup', channelId: `ob-${id}-1-op` });
    expect(commands).toContainEqual({ kind: 'presence', move: 'missed' });
    expect(legs(commands)).toEqual([['operator', 'no_answer']]);
    expect(finish(commands)).toEqual({ kind: 'finish', result: 'operator_missed' });
  });

  it('an unreachable softphone releases the operator (ready) and fails the attempt', () => {
    const { commands } = run('operator', [{ type: 'leg_gone', leg: 'operator', cause: null, reason: 'Allocation failed' }]);
    expect(commands).toContainEqual({ kind: 'presence', move: 'released' });
    expect(legs(commands)).toEqual([['operator', 'failed']]);
    expect(finish(commands)).toEqual({ kind: 'finish', result: 'failed' });
  });

  it('a busy caller ends the operator leg too and the attempt as not reached (to be retried)', () => {
    const { commands } = run('operator', [
      { type: 'answered', leg: 'operator' },
      { type: 'leg_gone', leg: 'caller', cause: 17, reason: 'User busy' },
    ]);
    expect(commands).toContainEqual({ kind: 'hangup', channelId: `ob-${id}-1-op` });
    expect(legs(commands)).toEqual([
      ['caller', 'busy'],
      ['operator', 'answered'],
    ]);
    expect(finish(commands)).toEqual({ kind: 'finish', result: 'caller_not_reached' });
  });

  it('the operator hanging up while the caller rings calls the attempt off', () => {
    const { commands } = run('operator', [
      { type: 'answered', leg: 'operator' },
      { type: 'leg_gone', leg: 'operator', cause: 16, reason: 'Normal Clearing' },
    ]);
    expect(commands).toContainEqual({ kind: 'hangup', channelId: `ob-${id}-1-cl` });
    expect(finish(commands)).toEqual({ kind: 'finish', result: 'operator_cancelled' });
  });

  it('a bridge Asterisk refused fails the attempt: both legs hung up, the operator free again, nothing delivered', () => {
    const { state, commands } = run('operator', [...bothAnswered, { type: 'bridge_failed' }, { type: 'leg_gone', leg: 'caller', cause: 16, reason: 'Normal Clearing' }]);
    expect(state.phase).toBe('ended');
    expect(commands.filter((c) => c.kind === 'hangup').map((c) => (c as { channelId: string }).channelId)).toEqual([`ob-${id}-1-op`, `ob-${id}-1-cl`]);
    expect(commands).toContainEqual({ kind: 'destroyBridge', bridgeId: `ob-${id}-1-br` });
    expect(commands.filter((c) => c.kind === 'presence').at(-1)).toEqual({ kind: 'presence', move: 'not_bridged' });
    expect(commands.flatMap((c) => (c.kind === 'legEnded' ? [c.summary.detail] : []))).toEqual(['not bridged: never found in the bridge together', 'not bridged: never found in the bridge together']);
    expect(commands.filter((c) => c.kind === 'finish')).toEqual([{ kind: 'finish', result: 'failed' }]);
  });

  it('a leg that hangs up before the two are found bridged fails the attempt too; once bridged, a hangup is connected', () => {
    const early = run('operator', [...bothAnswered, { type: 'leg_gone', leg: 'caller', cause: 16, reason: 'Normal Clearing' }, { type: 'bridge_failed' }]);
    expect(early.commands.filter((c) => c.kind === 'finish')).toEqual([{ kind: 'finish', result: 'failed' }]);
    const talked = run('operator', [...bothAnswered, { type: 'bridged' }, { type: 'leg_gone', leg: 'operator', cause: 16, reason: 'Normal Clearing' }]);
    expect(talked.commands.filter((c) => c.kind === 'finish')).toEqual([{ kind: 'finish', result: 'connected' }]);
  });

  it('ignores inputs after the end', () => {
    const done = run('operator', [{ type: 'timer', name: 'ring' }]).state;
    expect(step(done, { type: 'answered', leg: 'operator', at: 99_000 }, settings)).toEqual({ state: done, commands: [] });
  });
});

describe('outbound attempt machine: voice survey', () => {
  function answeredSurvey(): AttemptState {
    return run('survey', [{ type: 'answered', leg: 'caller' }]).state;
  }

  it.each([
    ['1', 'satisfied'],
    ['2', 'basically_satisfied'],
    ['3', 'unsatisfied'],
  ] as const)('key %s records %s, thanks the caller and hangs up', (digit, satisfaction) => {
    let state = answeredSurvey();
    const commands: AttemptCommand[] = [];
    for (const input of [{ type: 'digit', digit } as const]) {
      const t = step(state, { ...input, at: 10_000 }, settings);
      state = t.state;
      commands.push(...t.commands);
    }
    expect(commands).toContainEqual({ kind: 'surveyAnswer', satisfaction, digit });
    expect(commands).toContainEqual({ kind: 'play', playbackId: state.playbackId, prompts: ['survey-thanks'] });
    const end = step(state, { type: 'playback_finished', playbackId: playbackOf(state), at: 12_000 }, settings);
    expect(end.commands).toContainEqual({ kind: 'hangup', channelId: `ob-${id}-1-cl` });
    expect(finish(end.commands)).toEqual({ kind: 'finish', result: 'surveyed' });
  });

  it('repeats the question once after an invalid key, then says goodbye with no answer recorded', () => {
    let state = answeredSurvey();
    const all: AttemptCommand[] = [];
    const feed = (input: AttemptInputBody) => {
      const t = step(state, { ...input, at: 20_000 }, settings);
      state = t.state;
      all.push(...t.commands);
    };
    feed({ type: 'digit', digit: '9' });
    expect(all).toContainEqual({ kind: 'play', playbackId: state.playbackId, prompts: ['invalid', 'survey-question'] });
    feed({ type: 'playback_finished', playbackId: playbackOf(state) });
    feed({ type: 'timer', name: 'input' });
    expect(all).toContainEqual({ kind: 'play', playbackId: state.playbackId, prompts: ['goodbye'] });
    feed({ type: 'digit', digit: '1' });
    feed({ type: 'playback_finished', playbackId: playbackOf(state) });
    expect(kinds(all)).not.toContain('surveyAnswer');
    expect(finish(all)).toEqual({ kind: 'finish', result: 'no_response' });
  });

  it('a caller who hangs up mid-survey ends the attempt answered, with no answer recorded', () => {
    const state = answeredSurvey();
    const t = step(state, { type: 'leg_gone', leg: 'caller', cause: 16, reason: 'Normal Clearing', at: 15_000 }, settings);
    expect(legs(t.commands)).toEqual([['caller', 'answered']]);
    expect(finish(t.commands)).toEqual({ kind: 'finish', result: 'no_response' });
  });

  it('an unanswered caller is not reached', () => {
    const { commands } = run('survey', [{ type: 'timer', name: 'ring' }]);
    expect(commands).toContainEqual({ kind: 'hangup', channelId: `ob-${id}-1-cl` });
    expect(legs(commands)).toEqual([['caller', 'no_answer']]);
    expect(finish(commands)).toEqual({ kind: 'finish', result: 'caller_not_reached' });
  });
});

describe('hangup causes of unanswered legs', () => {
  it('maps busy, rejected, no answer and failures', () => {
    expect([17, 21, 19, 18, 16, 34, null].map(unansweredOutcome)).toEqual(['busy', 'rejected', 'no_answer', 'no_answer', 'no_answer', 'failed', 'failed']);
  });
});
