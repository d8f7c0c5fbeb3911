import { fallbackSkill } from '../menu.ts';
import { enqueue, ignore, offer, play, stopPrompt } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

/**
 * Waiting for an operator: queued with hold music and position announcements, an operator rung (no answer: the
 * next one), and past the maximum wait the offer of a callback or a message.
 */
export function inQueue(state: CallState, input: CallInput, s: MachineSettings): Transition {
  switch (input.type) {
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return ignore(state, input);
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startMoh' }] };
    case 'timer':
      if (input.name === 'position') {
        const restart: CallCommand = { kind: 'startTimer', name: 'position', ms: s.positionEveryMs };
        if (state.phase !== 'queued' || state.playbackId) return { state, commands: [restart] };
        const t = announcePosition(state);
        return { state: t.state, commands: [{ kind: 'stopMoh' }, ...t.commands, restart] };
      }
      if (input.name === 'max_wait') {
        if (state.phase === 'ringing') return { state: { ...state, maxWaitReached: true }, commands: [] };
        return offer(state, [{ kind: 'dequeue' }], input.at);
      }
      if (input.name === 'ring' && state.phase === 'ringing' && state.operator) {
        return operatorMissed(state, 'ring timeout', [{ kind: 'hangupOperator', channelId: state.operator.channelId }], input.at, s);
      }
      return ignore(state, input);
    case 'operator_assigned': {
      const seq = state.seq + 1;
      const leg = { userId: input.userId, endpoint: input.endpoint, channelId: `${state.callId}-op${seq}` };
      const stop = stopPrompt({ ...state, seq, phase: 'ringing', operator: leg });
      // An interrupted position announcement had stopped the hold music: start it again.
      const music: CallCommand[] = stop.commands.length > 0 ? [{ kind: 'startMoh' }] : [];
      return {
        state: stop.state,
        commands: [
          ...stop.commands,
          ...music,
          { kind: 'ringOperator', leg },
          { kind: 'startTimer', name: 'ring', ms: s.ringMs },
          { kind: 'log', event: 'operator_rung', operatorId: leg.userId, data: { endpoint: leg.endpoint, channelId: leg.channelId } },
          { kind: 'publish', event: 'call.ringing', operatorId: leg.userId },
        ],
      };
    }
    case 'operator_answered': {
      const leg = state.operator;
      if (state.phase !== 'ringing' || !leg || input.channelId !== leg.channelId) return ignore(state, input);
      const bridgeId = `${state.callId}-br`;
      const waitedMs = input.at - (state.enqueuedAt ?? input.at);
      return {
        state: { ...state, phase: 'connected', bridgeId, answeredAt: input.at, answeredBy: leg.userId, bridging: true },
        commands: [
          { kind: 'cancelTimer', name: 'ring' },
          { kind: 'cancelTimer', name: 'max_wait' },
          { kind: 'cancelTimer', name: 'position' },
          { kind: 'stopMoh' },
          { kind: 'bridge', bridgeId, channelIds: [state.channelId, leg.channelId] },
          { kind: 'operatorOnCall', userId: leg.userId },
          { kind: 'log', event: 'answered', operatorId: leg.userId, data: { waitedMs } },
          { kind: 'publish', event: 'call.answered', operatorId: leg.userId },
          { kind: 'screenPop', userId: leg.userId },
        ],
      };
    }
    case 'operator_gone':
      if (state.phase !== 'ringing' || !state.operator || input.channelId !== state.operator.channelId) return ignore(state, input);
      return operatorMissed(state, input.reason, [], input.at, s);
    case 'hold':
    case 'unhold':
      return { state, commands: [{ kind: 'log', event: input.type }] };
    default:
      return ignore(state, input);
  }
}

function operatorMissed(state: CallState, reason: string, first: CallCommand[], at: number, s: MachineSettings): Transition {
  const leg = state.operator!;
  const commands: CallCommand[] = [
    ...first,
    { kind: 'cancelTimer', name: 'ring' },
    { kind: 'log', event: 'operator_missed', operatorId: leg.userId, data: { reason, channelId: leg.channelId } },
    { kind: 'operatorMissed', userId: leg.userId },
  ];
  const back = { ...state, operator: undefined };
  if (state.maxWaitReached) return offer(back, commands, at);
  const queued = enqueue(back, state.skill ?? fallbackSkill, at, s, 'retry');
  return { state: queued.state, commands: [...commands, ...queued.commands] };
}

function announcePosition(state: CallState): Transition {
  const seq = state.seq + 1;
  const playbackId = `${state.callId}-p${seq}`;
  return { state: { ...state, seq, playbackId }, commands: [{ kind: 'announcePosition', playbackId }] };
}

export function inOffer(state: CallState, input: CallInput, s: MachineSettings): Transition {
  switch (input.type) {
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return ignore(state, input);
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startTimer', name: 'offer', ms: s.menuTimeoutMs }] };
    case 'digit': {
      const stop = stopPrompt(state);
      const cancel: CallCommand = { kind: 'cancelTimer', name: 'offer' };
      if (input.digit === '1') {
        const t = play({ ...stop.state, phase: 'closing', closingOutcome: 'callback_requested' }, ['callback-confirmed']);
        return { state: t.state, commands: [cancel, ...stop.commands, { kind: 'log', event: 'callback_requested' }, { kind: 'intake', what: 'callback' }, ...t.commands] };
      }
      const t = play({ ...stop.state, phase: 'message_prompt', messageReason: 'queue_timeout' }, ['leave-message']);
      return { state: t.state, commands: [cancel, ...stop.commands, ...t.commands] };
    }
    case 'timer': {
      if (input.name !== 'offer') return ignore(state, input);
      const t = play({ ...state, phase: 'message_prompt', messageReason: 'queue_timeout' }, ['leave-message']);
      return t;
    }
    default:
      return ignore(state, input);
  }
}
