import { ignore, play } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

/** A message for a call back: the prompt, the recording, and the ticket it becomes. */
export function inMessage(state: CallState, input: CallInput, s: MachineSettings): Transition {
  if (state.phase === 'message_prompt' && input.type === 'playback_finished' && input.playbackId === state.playbackId) {
    const name = `${state.callId}-message`;
    return {
      state: { ...state, phase: 'recording', playbackId: undefined, recordingName: name },
      commands: [{ kind: 'record', name }, { kind: 'log', event: 'recording_started', data: { name, maxSeconds: s.messageMaxSeconds } }],
    };
  }
  if (state.phase === 'recording' && input.type === 'recording_finished' && input.name === state.recordingName) {
    const t = play({ ...state, phase: 'closing', closingOutcome: state.answeredAt !== undefined ? 'answered' : 'message_left' }, ['message-saved', 'goodbye']);
    return {
      state: t.state,
      commands: [
        { kind: 'log', event: 'message_left', data: { name: input.name, durationSeconds: input.durationSeconds ?? null } },
        messageIntake(state, input.name),
        ...t.commands,
      ],
    };
  }
  return ignore(state, input);
}

/** A message goes to the ticket of the transfer no one took, or else becomes a ticket for a call back. */
export function messageIntake(state: CallState, recordingName: string): CallCommand {
  if (state.messageReason === 'transfer_unanswered' && state.transfer) return { kind: 'transferTicket', leg: state.transfer, recordingName };
  return { kind: 'intake', what: 'message', recordingName };
}
