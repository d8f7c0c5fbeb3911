import { fallbackSkill } from '../menu.ts';
import { end, enqueue, offer, play, step, stopPrompt } from './machine.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

type Adopted = Extract<CallInput, { type: 'adopted' }>;

/**
 * A live call taken over from a controller that stopped or crashed (its caller's channel is still up).
 * Prompt ends, digits and timers of the gap are lost, so each phase restarts from a safe point: menu callers
 * go to the queue; queued callers keep their place (same enqueue time) and the rest of their maximum wait;
 * a ring in progress is released unpenalised and the caller re-queued, unless the operator answered in the
 * gap (then they are bridged); bridged calls go on; prompts whose end was lost are played again.
 */
export function resume(state: CallState, input: Adopted, s: MachineSettings): Transition {
  switch (state.phase) {
    case 'menu': {
      const stop = stopPrompt(state);
      const queued = enqueue(stop.state, fallbackSkill, input.at, s, 'fallback');
      const log: CallCommand = { kind: 'log', event: 'menu_fallback', data: { misses: state.menuMisses, reason: 'controller_restart' } };
      return { state: queued.state, commands: [...stop.commands, log, ...queued.commands] };
    }
    case 'queued':
      return requeue(state, [], input.at, s);
    case 'ringing': {
      const leg = state.operator!;
      if (input.operatorAnswered) return step(state, { type: 'operator_answered', channelId: leg.channelId, at: input.at }, s);
      const release: CallCommand[] = [
        { kind: 'hangupOperator', channelId: leg.channelId },
        { kind: 'log', event: 'operator_released', operatorId: leg.userId, data: { reason: 'controller_restart' } },
        { kind: 'releaseOperator', userId: leg.userId },
      ];
      const back = { ...state, operator: undefined };
      return state.maxWaitReached ? offer(back, release, input.at) : requeue(back, release, input.at, s);
    }
    case 'connected': {
      if (!input.operatorUp) {
        const leg = state.operator!;
        const commands: CallCommand[] = [{ kind: 'hangupCaller' }, { kind: 'hangupOperator', channelId: leg.channelId }];
        if (state.bridgeId) commands.push({ kind: 'destroyBridge', bridgeId: state.bridgeId });
        commands.push({ kind: 'operatorWrapUp', userId: leg.userId });
        return end(state, commands, 'answered', 'operator');
      }
      // Stopped between creating the bridge and joining it: join again.
      if (!input.bridged && state.bridgeId) return { state, commands: [{ kind: 'bridge', bridgeId: state.bridgeId, channelIds: [state.channelId, state.operator!.channelId] }] };
      return { state, commands: [] };
    }
    case 'message_prompt': {
      const stop = stopPrompt(state);
      const t = play(stop.state, ['leave-message']);
      return { state: t.state, commands: [...stop.commands, ...t.commands] };
    }
    case 'recording': {
      // Whether the caller finished (#) in the gap is unknown: keep what was recorded and close as a message.
      const name = state.recordingName!;
      const t = step(state, { type: 'recording_finished', name, at: input.at }, s);
      return { state: t.state, commands: [{ kind: 'stopRecording', name }, ...t.commands] };
    }
    case 'offer': {
      const stop = stopPrompt(state);
      const t = play(stop.state, ['offer-callback']);
      return { state: t.state, commands: [{ kind: 'cancelTimer', name: 'offer' }, ...stop.commands, ...t.commands] };
    }
    case 'closing':
      return end({ ...state, playbackId: undefined }, [{ kind: 'hangupCaller' }], state.closingOutcome ?? 'failed', 'system');
    case 'ended':
      return { state, commands: [] };
  }
}

/** Back in the queue at the same place (its first enqueue time), with what is left of the maximum wait. */
function requeue(state: CallState, first: CallCommand[], at: number, s: MachineSettings): Transition {
  const stop = stopPrompt(state);
  const queued = enqueue(stop.state, state.skill ?? fallbackSkill, at, s, 'retry');
  const left = Math.max(0, s.maxWaitMs - (at - (state.enqueuedAt ?? at)));
  return {
    state: queued.state,
    commands: [...first, ...stop.commands, ...queued.commands, { kind: 'startTimer', name: 'max_wait', ms: left }],
  };
}
