import type {
  AttemptCommand,
  AttemptInput,
  AttemptResult,
  AttemptState,
  AttemptTransition,
  LegKind,
  LegOutcome,
  OutboundMode,
  OutboundPrompt,
  OutboundSettings,
} from './types.ts';
import { surveyKeys } from './types.ts';

/**
 * One outbound attempt as a pure state machine: (state, input) → {state, commands}, like the inbound call's.
 * Operator mode: the operator's softphone rings first; once they answer the caller is dialled, then both
 * are bridged. Survey mode: the caller is dialled and hears a keypad survey. No I/O, no clock: times come
 * with the inputs and ids derive from the request id and the attempt number.
 */
export function newAttempt(init: { id: string; attempt: number; mode: OutboundMode }): AttemptState {
  return { ...init, phase: init.mode === 'operator' ? 'operator_ringing' : 'caller_ringing', seq: 0, misses: 0 };
}

/** Channel and bridge ids of an attempt: `ob-` marks them as outbound for the inbound controller and reconcile. */
export const outboundIds = {
  prefix: 'ob-',
  leg: (id: string, attempt: number, leg: LegKind) => `ob-${id}-${attempt}-${leg === 'operator' ? 'op' : 'cl'}`,
  bridge: (id: string, attempt: number) => `ob-${id}-${attempt}-br`,
};

/** Survey: one repeat after an invalid or missing key, then goodbye. */
export const surveyRepeats = 1;

export function step(state: AttemptState, input: AttemptInput, s: OutboundSettings): AttemptTransition {
  if (state.phase === 'ended') return { state, commands: [] };
  if (input.type === 'start') return start(state, input.at, s);
  switch (state.phase) {
    case 'operator_ringing':
      return operatorRinging(state, input, s);
    case 'caller_ringing':
      return callerRinging(state, input);
    case 'connected':
      return connected(state, input);
    case 'survey':
      return survey(state, input, s);
    case 'closing':
      if (input.type === 'playback_finished' && input.playbackId === state.playbackId) return hangUpSurvey({ ...state, playbackId: undefined }, input.at, [{ kind: 'hangup', channelId: state.caller!.channelId }]);
      if (input.type === 'leg_gone' && input.leg === 'caller') return hangUpSurvey(state, input.at, []);
      return same(state);
  }
}

function start(state: AttemptState, at: number, s: OutboundSettings): AttemptTransition {
  if (state.operator || state.caller) return same(state);
  if (state.mode === 'operator') {
    const operator = { channelId: outboundIds.leg(state.id, state.attempt, 'operator'), startedAt: at };
    return {
      state: { ...state, phase: 'operator_ringing', operator },
      commands: [
        { kind: 'originate', leg: 'operator', channelId: operator.channelId, timeoutSeconds: Math.ceil(s.operatorRingMs / 1000) + 5 },
        { kind: 'startTimer', name: 'ring', ms: s.operatorRingMs },
        { kind: 'publish', event: 'outbound.ringing', leg: 'operator' },
      ],
    };
  }
  return dialCaller({ ...state, phase: 'caller_ringing' }, at, s, []);
}

function dialCaller(state: AttemptState, at: number, s: OutboundSettings, first: AttemptCommand[]): AttemptTransition {
  const caller = { channelId: outboundIds.leg(state.id, state.attempt, 'caller'), startedAt: at };
  return {
    state: { ...state, phase: 'caller_ringing', caller },
    commands: [
      ...first,
      { kind: 'originate', leg: 'caller', channelId: caller.channelId, timeoutSeconds: Math.ceil(s.callerRingMs / 1000) + 5 },
      { kind: 'startTimer', name: 'ring', ms: s.callerRingMs },
      { kind: 'publish', event: 'outbound.ringing', leg: 'caller' },
    ],
  };
}

function operatorRinging(state: AttemptState, input: AttemptInput, s: OutboundSettings): AttemptTransition {
  const op = state.operator!;
  switch (input.type) {
    case 'answered': {
      if (input.leg !== 'operator') return same(state);
      const answered = { ...state, operator: { ...op, answeredAt: input.at } };
      return dialCaller(answered, input.at, s, [
        { kind: 'cancelTimer', name: 'ring' },
        { kind: 'presence', move: 'on_call' },
        { kind: 'publish', event: 'outbound.answered', leg: 'operator' },
      ]);
    }
    case 'timer':
      if (input.name !== 'ring') return same(state);
      return end(state, 'operator_missed', [{ kind: 'hangup', channelId: op.channelId }, legEnded('operator', op, 'no_answer', input.at, 'ring timeout'), { kind: 'presence', move: 'missed' }]);
    case 'leg_gone': {
      if (input.leg !== 'operator') return same(state);
      const outcome = unansweredOutcome(input.cause);
      // A softphone that could not be reached is no fault of the operator: they go back to ready, not paused.
      const move = outcome === 'failed' ? 'released' : 'missed';
      return end(state, outcome === 'failed' ? 'failed' : 'operator_missed', [{ kind: 'cancelTimer', name: 'ring' }, legEnded('operator', op, outcome, input.at, input.reason), { kind: 'presence', move }]);
    }
    default:
      return same(state);
  }
}

function callerRinging(state: AttemptState, input: AttemptInput): AttemptTransition {
  const caller = state.caller!;
  const op = state.operator;
  switch (input.type) {
    case 'answered': {
      if (input.leg !== 'caller') return same(state);
      const next = { ...state, caller: { ...caller, answeredAt: input.at } };
      const commands: AttemptCommand[] = [{ kind: 'cancelTimer', name: 'ring' }, { kind: 'publish', event: 'outbound.answered', leg: 'caller' }];
      if (op) {
        const bridgeId = outboundIds.bridge(state.id, state.attempt);
        return { state: { ...next, phase: 'connected', bridgeId, bridging: true }, commands: [...commands, { kind: 'bridge', bridgeId, channelIds: [op.channelId, caller.channelId] }] };
      }
      const t = play({ ...next, phase: 'survey' }, ['survey-intro', 'survey-question']);
      return { state: t.state, commands: [...commands, ...t.commands] };
    }
    case 'timer':
      if (input.name !== 'ring') return same(state);
      return callerNotReached(state, input.at, 'no_answer', 'ring timeout', [{ kind: 'hangup', channelId: caller.channelId }]);
    case 'leg_gone':
      if (input.leg === 'caller') return callerNotReached(state, input.at, unansweredOutcome(input.cause), input.reason, [{ kind: 'cancelTimer', name: 'ring' }]);
      if (!op) return same(state);
      // The operator put the phone down while the caller's phone was ringing: the attempt is called off.
      return end(state, 'operator_cancelled', [
        { kind: 'cancelTimer', name: 'ring' },
        { kind: 'hangup', channelId: caller.channelId },
        legEnded('caller', caller, 'failed', input.at, 'called off by the operator'),
        legEnded('operator', op, 'answered', input.at, null),
        { kind: 'presence', move: 'wrap_up' },
      ]);
    default:
      return same(state);
  }
}

function callerNotReached(state: AttemptState, at: number, outcome: LegOutcome, detail: string, first: AttemptCommand[]): AttemptTransition {
  const commands: AttemptCommand[] = [...first, legEnded('caller', state.caller!, outcome, at, detail)];
  if (state.operator) commands.push({ kind: 'hangup', channelId: state.operator.channelId }, legEnded('operator', state.operator, 'answered', at, null), { kind: 'presence', move: 'wrap_up' });
  return end(state, 'caller_not_reached', commands);
}

/** Not bridged: the two never heard each other, so the attempt failed (a relay by it is not delivered). */
const notBridged = 'not bridged: never found in the bridge together';

/**
 * Bridging, then talking. Connected only once found in the bridge (`bridged`): a bridge refused, or a leg gone
 * before it was found joined, fails the attempt, since operator and caller never heard each other.
 */
function connected(state: AttemptState, input: AttemptInput): AttemptTransition {
  if (input.type === 'bridged') return { state: { ...state, bridging: undefined }, commands: [] };
  if (input.type === 'bridge_failed' || (input.type === 'leg_gone' && state.bridging)) {
    return end(state, 'failed', [
      { kind: 'hangup', channelId: state.operator!.channelId },
      { kind: 'hangup', channelId: state.caller!.channelId },
      ...(state.bridgeId ? [{ kind: 'destroyBridge', bridgeId: state.bridgeId } as const] : []),
      legEnded('operator', state.operator!, 'answered', input.at, notBridged),
      legEnded('caller', state.caller!, 'answered', input.at, notBridged),
      { kind: 'presence', move: 'not_bridged' },
    ]);
  }
  if (input.type !== 'leg_gone') return same(state);
  const other = input.leg === 'operator' ? state.caller! : state.operator!;
  return end(state, 'connected', [
    { kind: 'hangup', channelId: other.channelId },
    ...(state.bridgeId ? [{ kind: 'destroyBridge', bridgeId: state.bridgeId } as const] : []),
    legEnded('operator', state.operator!, 'answered', input.at, input.leg === 'operator' ? 'operator hung up' : null),
    legEnded('caller', state.caller!, 'answered', input.at, input.leg === 'caller' ? 'caller hung up' : null),
    { kind: 'presence', move: 'wrap_up' },
  ]);
}

function survey(state: AttemptState, input: AttemptInput, s: OutboundSettings): AttemptTransition {
  switch (input.type) {
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return same(state);
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startTimer', name: 'input', ms: s.inputTimeoutMs }] };
    case 'digit': {
      const satisfaction = surveyKeys[input.digit as keyof typeof surveyKeys];
      if (!satisfaction) return miss(state, input.at);
      const stop = stopPrompt(state);
      const t = play({ ...stop.state, phase: 'closing', satisfaction }, ['survey-thanks']);
      return { state: t.state, commands: [{ kind: 'cancelTimer', name: 'input' }, ...stop.commands, { kind: 'surveyAnswer', satisfaction, digit: input.digit }, ...t.commands] };
    }
    case 'timer':
      if (input.name !== 'input' || state.playbackId) return same(state);
      return miss(state, input.at);
    case 'leg_gone':
      if (input.leg !== 'caller') return same(state);
      return hangUpSurvey(state, input.at, [{ kind: 'cancelTimer', name: 'input' }]);
    default:
      return same(state);
  }
}

function miss(state: AttemptState, _at: number): AttemptTransition {
  const misses = state.misses + 1;
  const stop = stopPrompt({ ...state, misses });
  const prompts: OutboundPrompt[] = misses > surveyRepeats ? ['goodbye'] : ['invalid', 'survey-question'];
  const t = play(misses > surveyRepeats ? { ...stop.state, phase: 'closing' } : stop.state, prompts);
  return { state: t.state, commands: [{ kind: 'cancelTimer', name: 'input' }, ...stop.commands, ...t.commands] };
}

/** The survey's caller leg is over (hung up by them, or by us after the last prompt). */
function hangUpSurvey(state: AttemptState, at: number, first: AttemptCommand[]): AttemptTransition {
  const detail = state.satisfaction ? `answered ${state.satisfaction}` : 'no valid answer';
  return end(state, state.satisfaction ? 'surveyed' : 'no_response', [...first, legEnded('caller', state.caller!, 'answered', at, detail)]);
}

function end(state: AttemptState, result: AttemptResult, commands: AttemptCommand[]): AttemptTransition {
  return { state: { ...state, phase: 'ended', playbackId: undefined }, commands: [...commands, { kind: 'finish', result }] };
}

function legEnded(leg: LegKind, l: { channelId: string; startedAt: number; answeredAt?: number }, outcome: LegOutcome, at: number, detail: string | null): AttemptCommand {
  return { kind: 'legEnded', summary: { leg, channelId: l.channelId, outcome, startedAt: l.startedAt, answeredAt: l.answeredAt ?? null, endedAt: at, detail } };
}

/**
 * An unanswered leg's outcome from Asterisk's hangup cause: 17 user busy, 21 call rejected (603), 18/19 no
 * answer (the dial timeout), 16 normal clearing before answer (the far end dropped the ringing call);
 * no cause (originate refused, e.g. an unregistered softphone) and anything else is a failure.
 */
export function unansweredOutcome(cause: number | null): LegOutcome {
  switch (cause) {
    case 17:
      return 'busy';
    case 21:
      return 'rejected';
    case 16:
    case 18:
    case 19:
      return 'no_answer';
    default:
      return 'failed';
  }
}

function play(state: AttemptState, prompts: OutboundPrompt[]): AttemptTransition {
  const seq = state.seq + 1;
  const playbackId = `ob-${state.id}-${state.attempt}-p${seq}`;
  return { state: { ...state, seq, playbackId }, commands: [{ kind: 'play', playbackId, prompts }] };
}

function stopPrompt(state: AttemptState): AttemptTransition {
  if (!state.playbackId) return { state, commands: [] };
  return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'stopPlayback', playbackId: state.playbackId }] };
}

function same(state: AttemptState): AttemptTransition {
  return { state, commands: [] };
}
