/** The screen pop of the call the operator just answered: the `call.screen_pop` event (docs/api.md). */
export const screenPopEvents = ['call.screen_pop'];

export interface ScreenPop {
  callId: string;
  callerNumber: string;
  previousCalls: number;
  draftTicketId?: string;
  /** When the desk got the pop (the call timer's start until the call's record gives the answer time). */
  receivedAt: number;
  /** Set when the call ends (`call.ended`): the timer stops and the form lets the caller go after the next submit. */
  endedAt?: number;
  /** Set with `endedAt` when the answer never became a conversation (`call.not_connected`): the caller is queued again. */
  notConnected?: true;
}

export function screenPopFromEvent(data: Record<string, unknown>, now = Date.now()): ScreenPop | undefined {
  if (typeof data.callId !== 'string' || typeof data.callerNumber !== 'string') return undefined;
  return {
    callId: data.callId,
    callerNumber: data.callerNumber,
    previousCalls: Array.isArray(data.history) ? data.history.length : 0,
    draftTicketId: typeof data.draftTicketId === 'string' ? data.draftTicketId : undefined,
    receivedAt: now,
  };
}
