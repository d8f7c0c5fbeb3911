import { fallbackSkill } from '../menu.ts';
import { inPhase } from './phases.ts';
import { requeueUnbridged } from './bridge-failed.ts';
import { awaitingBridge, end, enqueue, offer, play, stopPrompt } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

type Adopted = Extract<CallInput, { type: 'adopted' }>;

/**
 * A live call taken over from a controller that stopped or crashed (its caller's channel is still up).
 * Prompt ends, digits and timers of the gap are lost, so each phase restarts from a safe point: menu callers
 * go to the queue; queued callers keep their place (same enqueue time) and the rest of their maximum wait;
 * a ring in progress is released unpenalised and the caller re-queued, unless the operator answered in the
 * gap (then they are bridged); bridged calls go on; prompts whose end was lost are played again. What ARI shows
 * now goes to the call's phase as the input the gap lost (`inPhase`).
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
      if (input.operatorAnswered) return inPhase(state, { type: 'operator_answered', channelId: leg.channelId, at: input.at }, s);
      const release: CallCommand[] = [
        { kind: 'hangupOperator', channelId: leg.channelId },
        { kind: 'log', event: 'operator_released', operatorId: leg.userId, data: { reason: 'controller_restart' } },
        { kind: 'releaseOperator', userId: leg.userId },
      ];
      const back = { ...state, operator: undefined };
      return state.maxWaitReached ? offer(back, release, input.at) : requeue(back, release, input.at, s);
    }
    case 'connected': {
      // Found in the bridge now: the word of it may have been lost with the controller that bridged them.
      if (input.bridged && state.bridging) return resume({ ...state, bridging: undefined }, input, s);
      // The operator's leg gone before they were ever bridged: the caller waits for the next operator.
      if (!input.operatorUp && awaitingBridge(state)) return requeueUnbridged(state, input.at, s, { reason: 'controller_restart' });
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
      const t = inPhase(state, { type: 'recording_finished', name, at: input.at }, s);
      return { state: t.state, commands: [{ kind: 'stopRecording', name }, ...t.commands] };
    }
    case 'offer': {
      const stop = stopPrompt(state);
      const t = play(stop.state, ['offer-callback']);
      return { state: t.state, commands: [{ kind: 'cancelTimer', name: 'offer' }, ...stop.commands, ...t.commands] };
    }
    case 'closing':
      return end({ ...state, playbackId: undefined }, [{ kind: 'hangupCaller' }], state.closingOutcome ?? 'failed', 'system');
    case 'case_entry': {
      // The digits keyed in the gap are lost: an operator takes the caller rather than asking again.
      const stop = stopPrompt(state);
      const queued = enqueue(stop.state, 'judge_contact', input.at, s, 'choice');
      return { state: queued.state, commands: [...stop.commands, { kind: 'cancelTimer', name: 'case_entry' }, ...queued.commands] };
    }
    case 'case_lookup':
      // The directory's answer was lost with the old controller: ask again.
      return state.playbackId
        ? inPhase(state, { type: 'playback_finished', playbackId: state.playbackId, at: input.at }, s)
        : { state, commands: [{ kind: 'lookupCase', digits: state.caseDigits ?? '' }] };
    case 'transfer_ringing':
    case 'consulting':
    case 'transferred':
      return resumeTransfer(state, input, s);
    case 'ended':
      return { state, commands: [] };
  }
}

/** A transfer in progress: what the target's leg shows now decides (answered in the gap, ringing, gone). */
function resumeTransfer(state: CallState, input: Adopted, s: MachineSettings): Transition {
  const leg = state.transfer!;
  const target = input.target ?? { up: false, answered: false, bridged: false };
  const at = input.at;
  if (state.phase === 'consulting' && !input.operatorUp) {
    return inPhase(state, { type: 'operator_gone', channelId: state.operator!.channelId, reason: 'operator left during a controller restart', at }, s);
  }
  if (!target.up) {
    return inPhase(state, { type: 'transfer_gone', channelId: leg.channelId, reason: 'leg gone during a controller restart', outcome: 'failed', at }, s);
  }
  if (!leg.answeredAt) {
    if (target.answered) return inPhase(state, { type: 'transfer_answered', channelId: leg.channelId, at }, s);
    // Still ringing: the ring timer was lost with the old controller; the hold music goes on (or again).
    const stop = stopPrompt(state);
    return { state: stop.state, commands: [...stop.commands, { kind: 'startMoh' }, { kind: 'startTimer', name: 'transfer', ms: s.transferRingMs }] };
  }
  if (target.bridged) return { state, commands: [] };
  // Stopped between creating a bridge and joining it: join again.
  const bridgeId = state.phase === 'consulting' ? leg.consultBridgeId : state.bridgeId;
  const other = state.phase === 'consulting' ? state.operator!.channelId : state.channelId;
  return { state, commands: bridgeId ? [{ kind: 'bridge', bridgeId, channelIds: [other, leg.channelId] }] : [] };
}

/** Back in the queue at the same place (its first enqueue time), with what is left of the maximum wait. */
function requeue(state: CallState, first: CallCommand[], at: number, s: MachineSettings): Transition {
  const stop = stopPrompt(state);
  const queued = enqueue(stop.state, state.skill ?? fallbackSkill, at, s, 'retry');
  const left = Math.max(0, s.maxWaitMs - (at - (state.enqueuedAt ?? at)));
  // The old controller's timers are gone: hold music (a stopped announcement had paused it) and the
  // position announcements start again.
  return {
    state: queued.state,
    commands: [
      ...first,
      ...stop.commands,
      ...queued.commands,
      { kind: 'startMoh' },
      { kind: 'startTimer', name: 'position', ms: s.positionFirstMs },
      { kind: 'startTimer', name: 'max_wait', ms: left },
    ],
  };
}
