import { bridgeInput } from './bridge-failed.ts';
import { resume } from './resume.ts';
import { callerHungUp, leaveQueue, outcomeOnLeaving } from './leaving.ts';
import { inPhase } from './phases.ts';
import { end } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

/**
 * A call as a pure state machine: (state, input) → {state, commands}. No I/O, no clock, no randomness:
 * times come in with each input and ids are derived from the call id, so every path is testable alone.
 */
export function newCall(init: { callId: string; channelId: string; courtId: string | null; callerNumber: string }): CallState {
  return { ...init, phase: 'menu', menuMisses: 0, seq: 0, inHours: true, maxWaitReached: false };
}

/**
 * The dispatcher: inputs that concern the call whatever its phase (the caller gone, a takeover, a failure, an
 * operator claimed too late) here; every other input to the phase the call is in (phases.ts).
 */
export function step(state: CallState, input: CallInput, settings: MachineSettings): Transition {
  if (state.phase === 'ended') return { state, commands: [] };
  if (input.type === 'caller_hangup') return callerHungUp(state, input.at);
  if (input.type === 'caller_lost') return callerHungUp(state, input.at, input.reason);
  if (input.type === 'adopted') return resume(state, input, settings);
  // Supervision lives beside the call (supervision/): the call only records it, with its operator.
  if (input.type === 'supervision_note') return { state, commands: [{ kind: 'log', event: input.event, ...(state.operator ? { operatorId: state.operator.userId } : {}), data: input.data }] };
  // The dispatcher raced with the call leaving the queue: give the operator back.
  if (input.type === 'operator_assigned' && state.phase !== 'queued') return { state, commands: [{ kind: 'releaseOperator', userId: input.userId }] };
  if (input.type === 'bridged' || input.type === 'bridge_failed') return bridgeInput(state, input, settings);
  if (input.type === 'failure') {
    const commands: CallCommand[] = [{ kind: 'log', event: 'failed', data: { reason: input.reason } }, ...leaveQueue(state), { kind: 'hangupCaller' }];
    return end(state, commands, outcomeOnLeaving(state) === 'answered' ? 'answered' : 'failed', 'system');
  }
  return inPhase(state, input, settings);
}
