import { finishConversation } from './conversation-phase.ts';
import { messageIntake } from './message-phases.ts';
import { closingOutcome, finishTransfer } from './transfer.ts';
import { awaitingBridge, end } from './transitions.ts';
import type { CallCommand, CallLost, CallOutcome, CallState, Transition } from './types.ts';

/**
 * The caller's channel ended: they hung up, or (`lost`) Asterisk went away under the call. The same clean-up
 * either way; a lost call is closed by the system, and one no person had taken yet failed (abandoning is the
 * caller's act), as does its transfer leg still ringing. A lost call's caller is hung up too: the channel Asterisk
 * reported first may have been a leg, and Asterisk alone decides whether the others follow (a restart has dropped
 * them already: that hangup then finds no channel, which is harmless).
 */
export function callerHungUp(state: CallState, at: number, lost?: CallLost): Transition {
  const left = outcomeOnLeaving(state);
  const outcome = lost && (left === 'abandoned_in_menu' || left === 'abandoned_in_queue') ? 'failed' : left;
  const commands: CallCommand[] = lost ? [{ kind: 'hangupCaller' }] : [];
  if (state.phase === 'connected') commands.push(...finishConversation(state));
  else commands.push(...leaveQueue(state), ...finishTransfer(state, at, { lost: lost !== undefined }));
  if (state.phase === 'recording' && state.recordingName) {
    commands.push({ kind: 'log', event: 'message_left', data: { name: state.recordingName, durationSeconds: null } }, messageIntake(state, state.recordingName));
  } else if (state.phase === 'message_prompt' && state.messageReason === 'transfer_unanswered' && state.transfer) {
    commands.push({ kind: 'transferTicket', leg: state.transfer });
  }
  return end(state, commands, outcome, lost ? 'system' : 'caller', lost);
}

/** Leaving the queue without being answered: the rung operator (if any) is released, not penalised. */
export function leaveQueue(state: CallState): CallCommand[] {
  if (state.phase !== 'queued' && state.phase !== 'ringing') return [];
  // A ringing call left the queue already: the claim that rang its operator took it off, in the same step.
  const commands: CallCommand[] = state.phase === 'queued' ? [{ kind: 'dequeue' }] : [];
  if (state.phase === 'ringing' && state.operator) {
    commands.push(
      { kind: 'hangupOperator', channelId: state.operator.channelId },
      { kind: 'log', event: 'operator_released', operatorId: state.operator.userId },
      { kind: 'releaseOperator', userId: state.operator.userId },
    );
  }
  return commands;
}

export function outcomeOnLeaving(state: CallState): CallOutcome {
  // Answered, but never found in the bridge with the operator: the caller was still waiting for a person.
  if (awaitingBridge(state)) return 'abandoned_in_queue';
  // Once a person took the call (an operator, or the judge a menu transfer reached), it stays so.
  if (state.answeredAt !== undefined || state.transfer?.answeredAt !== undefined) return closingOutcome(state);
  switch (state.phase) {
    case 'menu':
    case 'case_entry':
    case 'case_lookup':
    case 'transfer_ringing':
      return 'abandoned_in_menu';
    case 'consulting':
    case 'transferred':
      return 'answered';
    case 'queued':
    case 'ringing':
    case 'offer':
      return 'abandoned_in_queue';
    case 'message_prompt':
      return state.messageReason === 'after_hours' ? 'after_hours' : 'abandoned_in_queue';
    case 'recording':
      return 'message_left';
    case 'connected':
      return 'answered';
    case 'closing':
      return state.closingOutcome ?? 'failed';
    case 'ended':
      return 'failed';
  }
}
