/**
 * The screen pop of the call the operator just answered. telephony publishes it as `screen_pop`
 * (docs/telephony.md on the telephony branch); docs/api.md names it `call.screen_pop`: both are read.
 */
export const screenPopEvents = ['screen_pop', 'call.screen_pop'];

export interface ScreenPop {
  callId: string;
  callerNumber: string;
  previousCalls: number;
  draftTicketId?: string;
}

export function screenPopFromEvent(data: Record<string, unknown>): ScreenPop | undefined {
  if (typeof data.callId !== 'string' || typeof data.callerNumber !== 'string') return undefined;
  const history = Array.isArray(data.history) ? data.history.length : typeof data.previousCalls === 'number' ? data.previousCalls : Array.isArray(data.previousCalls) ? data.previousCalls.length : 0;
  return {
    callId: data.callId,
    callerNumber: data.callerNumber,
    previousCalls: history,
    draftTicketId: typeof data.draftTicketId === 'string' ? data.draftTicketId : undefined,
  };
}
