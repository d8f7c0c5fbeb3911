import type { EventBus } from '../platform/events.ts';
import type { CallOutcome, HangupParty } from './calls/types.ts';
import type { PresenceState } from './presence/presence-state.ts';

/**
 * The realtime events telephony publishes through deps.events (docs/telephony.md, "Realtime events").
 * Broad audiences get the caller's number masked; the operator who takes the call gets it in full.
 */
export interface TelephonyEvents {
  'call.offered': { callId: string; skill: string; callerNumber: string; queuedAt: string };
  'call.ringing': { callId: string; operatorId: string; callerNumber: string };
  'call.answered': { callId: string; operatorId: string };
  'call.ended': { callId: string; outcome: CallOutcome; hangupBy: HangupParty };
  screen_pop: { callId: string; operatorId: string; callerNumber: string; history: CallerHistoryEntry[]; draftTicketId: string | null };
  'presence.changed': { operatorId: string; state: PresenceState; previous: PresenceState; reason: string | null; at: string };
}

export interface CallerHistoryEntry {
  callId: string;
  arrivedAt: string;
  outcome: CallOutcome | null;
  skill: string | null;
  answeredBy: string | null;
}

export type TelephonyEventType = keyof TelephonyEvents;

const everyoneOnDuty = { roles: ['operator', 'manager'] as ('operator' | 'manager')[] };

/** Publishes one catalogue event; never throws (a realtime event is a courtesy, never a reason to fail a call). */
export function publishTelephonyEvent<T extends TelephonyEventType>(
  bus: EventBus,
  type: T,
  courtId: string | null,
  data: TelephonyEvents[T],
  onlyUser?: string,
): Promise<void> {
  const audience = onlyUser ? { userIds: [onlyUser] } : everyoneOnDuty;
  return bus.publish({ type, courtId: courtId ?? '', audience, data }).then(
    () => undefined,
    () => undefined,
  );
}

/** 13812345678 → 138****5678; short numbers are kept to their last two digits. */
export function maskNumber(number: string): string {
  if (number.length >= 7) return `${number.slice(0, 3)}****${number.slice(-4)}`;
  return number.length > 2 ? `${'*'.repeat(number.length - 2)}${number.slice(-2)}` : number;
}
