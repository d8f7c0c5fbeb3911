import type { Logger } from '../platform/logger.ts';

export interface IntakeCall {
  callId: string;
  courtId: string | null;
  callerNumber: string;
}

/**
 * Where telephony hands what a call produced to the tickets capability. hotline.ts wires a real one when
 * tickets exist; until then `loggingTicketIntake` records nothing but a log line (the call events keep the facts).
 */
export interface TicketIntake {
  /** A caller left a message (after hours or instead of waiting): a ticket in the callback stage. */
  messageLeft(call: IntakeCall & { recordingName: string; reason: 'after_hours' | 'queue_timeout' }): Promise<void>;
  /** A caller asked to be called back instead of waiting. */
  callbackRequested(call: IntakeCall): Promise<void>;
  /** A draft ticket for the operator who answered, shown in the screen pop; null when none. */
  draftForCall(call: IntakeCall & { operatorId: string }): Promise<string | null>;
}

export function loggingTicketIntake(logger: Logger): TicketIntake {
  const log = logger.child({ component: 'ticket-intake' });
  return {
    messageLeft: async (call) => log.info({ callId: call.callId, recording: call.recordingName, reason: call.reason }, 'message left (no ticket intake wired)'),
    callbackRequested: async (call) => log.info({ callId: call.callId }, 'callback requested (no ticket intake wired)'),
    draftForCall: async () => null,
  };
}
