import { inCaseEntry, inCaseLookup } from './case-entry.ts';
import { inConversation } from './conversation-phase.ts';
import { inMenu } from './menu-phase.ts';
import { inMessage } from './message-phases.ts';
import { inOffer, inQueue } from './queue-phases.ts';
import { inConsulting, inTransferred, inTransferRinging } from './transfer.ts';
import { end, ignore } from './transitions.ts';
import type { CallInput, CallState, MachineSettings, Phase, Transition } from './types.ts';

type PhaseStep = (state: CallState, input: CallInput, s: MachineSettings) => Transition;

/** The closing prompt's end hangs up; nothing else matters any more. */
function inClosing(state: CallState, input: CallInput): Transition {
  if (input.type === 'playback_finished' && input.playbackId === state.playbackId) {
    return end({ ...state, playbackId: undefined }, [{ kind: 'hangupCaller' }], state.closingOutcome ?? 'failed', 'system');
  }
  return ignore(state, input);
}

/** Each phase of the call and the module whose machine takes its inputs. */
const phases: Record<Phase, PhaseStep> = {
  menu: inMenu,
  message_prompt: inMessage,
  recording: inMessage,
  queued: inQueue,
  ringing: inQueue,
  offer: inOffer,
  connected: inConversation,
  case_entry: inCaseEntry,
  case_lookup: inCaseLookup,
  transfer_ringing: inTransferRinging,
  consulting: inConsulting,
  transferred: inTransferred,
  closing: inClosing,
  ended: ignore,
};

/** An input for the phase the call is in. */
export function inPhase(state: CallState, input: CallInput, s: MachineSettings): Transition {
  return phases[state.phase](state, input, s);
}
