/** An entry of GET /api/telephony/unowned (telephony/unowned/service.ts). */
export interface UnownedEntry {
  key: string;
  kind: 'message' | 'callback' | 'unrouted' | 'abandoned';
  ticketId: string | null;
  ticketNumber: string | null;
  summary: string | null;
  callerNumberMasked: string;
  tries: number;
  times: string[];
  lastAt: string;
  callId: string | null;
  menuOption: string | null;
  recordingUrl: string | null;
  autoCallback: { attempts: number; lastStatus: string | null; lastResult: string | null; lastAt: string | null } | null;
}

export interface Claimed {
  key: string;
  ticketId: string;
  ticketNumber: string;
  callerNumber: string | null;
}

export interface AutoCallbackSettings {
  enabled: boolean;
  opens: string;
  closes: string;
  attempts: number;
  intervalMinutes: number;
  dailyCap: number;
  updatedAt?: string | null;
}

/** Events after which the queue is read again: a call ended (a caller may have given up), a ticket registered, a callback ended. */
export const reloadEvents = ['call.ended', 'ticket.registered', 'outbound.ended', 'resync'];
