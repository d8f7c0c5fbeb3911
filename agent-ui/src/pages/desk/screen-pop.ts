/** The screen pop of the call the operator just answered: the `call.screen_pop` event (docs/api.md). */
export const screenPopEvents = ['call.screen_pop'];

export interface ScreenPop {
  callId: string;
  callerNumber: string;
  previousCalls: number;
  draftTicketId?: string;
}

export function screenPopFromEvent(data: Record<string, unknown>): ScreenPop | undefined {
  if (typeof data.callId !== 'string' || typeof data.callerNumber !== 'string') return undefined;
  return {
    callId: data.callId,
    callerNumber: data.callerNumber,
    previousCalls: Array.isArray(data.history) ? data.history.length : 0,
    draftTicketId: typeof data.draftTicketId === 'string' ? data.draftTicketId : undefined,
  };
}
