import { publishEvent, type EventData } from '../api/realtime/event-catalogue.ts';
import type { EventBus } from '../platform/events.ts';

/**
 * Telephony's realtime events are entries of the one catalogue (api/realtime/event-catalogue.ts, docs/api.md):
 * names and shapes are checked there. Broad audiences get the caller's number masked; the operator rung and
 * the one who takes the call get it in full.
 */
export type TelephonyEventType = 'call.offered' | 'call.ringing' | 'call.answered' | 'call.ended' | 'call.screen_pop' | 'call.transfer' | 'presence.changed';

export type CallerHistoryEntry = EventData<'call.screen_pop'>['history'][number];

const everyoneOnDuty = { roles: ['operator', 'manager'] as ('operator' | 'manager')[] };

/** Publishes one catalogue event; never throws (a realtime event is a courtesy, never a reason to fail a call). */
export function publishTelephonyEvent<T extends TelephonyEventType>(bus: EventBus, type: T, courtId: string | null, data: EventData<T>, onlyUser?: string): Promise<void> {
  const audience = onlyUser ? { userIds: [onlyUser] } : everyoneOnDuty;
  return publishEvent(bus, { type, courtId: courtId ?? '', audience, data }).then(
    () => undefined,
    () => undefined,
  );
}
