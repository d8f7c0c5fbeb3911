import { z } from 'zod';
import type { EventBus } from '../platform/events.ts';
import { defineEvents, publishChecked, type CheckedEvent, type EventDataOf } from '../platform/event-specs.ts';
import { callOutcomes, hangupParties } from './calls/types.ts';
import { attemptResults, legKinds, outboundStatuses } from './outbound/types.ts';
import { presenceStates } from './presence/presence-state.ts';
import { supervisionModes } from './supervision/types.ts';

/**
 * Telephony's realtime events (names and data in docs/api.md; the api capability serves them with every other
 * capability's, api/realtime/event-catalogue.ts). Broad audiences get the caller's number masked
 * (platform/masking.ts); the operator rung, the one who takes the call and the one calling back get it in full.
 */
const id = z.string().min(1);
export const telephonyEvents = defineEvents({
  'call.offered': {
    to: 'operators, managers',
    data: z.object({ callId: id, skill: z.string().optional(), callerNumberMasked: z.string(), queuedAt: z.string(), position: z.number().int().optional() }),
  },
  'call.ringing': { to: 'the operator rung', data: z.object({ callId: id, operatorId: id, callerNumber: z.string() }) },
  'call.answered': { to: 'operators, managers', data: z.object({ callId: id, operatorId: id, answeredAt: z.string() }) },
  'call.not_connected': { to: 'the operator whose answer never became a conversation', data: z.object({ callId: id, operatorId: id }) },
  'call.ended': { to: 'operators, managers', data: z.object({ callId: id, outcome: z.enum(callOutcomes), hangupBy: z.enum(hangupParties).optional(), endedAt: z.string() }) },
  'call.transfer': {
    to: 'the operator who asked for the transfer',
    data: z.object({
      callId: id,
      seq: z.number().int(),
      mode: z.enum(['blind', 'attended', 'menu']),
      status: z.enum(['started', 'answered', 'failed', 'completed', 'cancelled']),
      target: z.string(),
      outcome: z.enum(['answered', 'no_answer', 'busy', 'rejected', 'failed', 'cancelled', 'caller_left']).optional(),
    }),
  },
  'call.screen_pop': {
    to: 'the answering operator',
    data: z.object({
      callId: id,
      operatorId: id,
      /** In full: the operator is talking to the caller and may call back. */
      callerNumber: z.string(),
      history: z.array(z.object({ callId: id, arrivedAt: z.string(), outcome: z.enum(callOutcomes).nullable(), skill: z.string().nullable(), answeredBy: z.string().nullable() })),
      draftTicketId: id.nullable(),
    }),
  },
  'presence.changed': {
    to: 'operators, managers',
    data: z.object({ operatorId: id, state: z.enum(presenceStates), previous: z.enum(presenceStates), reason: z.string().nullable(), at: z.string(), wrapUpEndsAt: z.string().nullable().optional() }),
  },
  // Outbound callbacks (telephony/outbound/), to the user who asked for one.
  'outbound.ringing': {
    to: 'the operator who asked for the callback',
    data: z.object({ outboundId: id, attempt: z.number().int(), leg: z.enum(legKinds), operatorId: id, ticketId: id.nullable(), callId: id.nullable(), callerNumber: z.string() }),
  },
  'outbound.answered': { to: 'the operator who asked for the callback', data: z.object({ outboundId: id, attempt: z.number().int(), leg: z.enum(legKinds), operatorId: id, answeredAt: z.string() }) },
  'outbound.ended': {
    to: 'the operator who asked for the callback',
    data: z.object({
      outboundId: id,
      attempt: z.number().int(),
      operatorId: id,
      result: z.enum(attemptResults),
      status: z.enum(outboundStatuses),
      nextAttemptAt: z.string().nullable(),
      satisfaction: z.string().nullable(),
      endedAt: z.string(),
    }),
  },
  // Supervision (telephony/supervision/): heads and managers of the court; the operator too when the court's setting says so.
  'call.supervision': {
    to: 'department heads, managers; the supervised operator when the court shows it; a refused start or switch to the requesting supervisor alone',
    data: z.object({
      callId: id,
      supervisorId: id,
      /** Absent on a request refused before any session (sent to the supervisor alone) when the call's operator is not known. */
      operatorId: id.optional(),
      mode: z.enum(supervisionModes),
      status: z.enum(['ringing', 'started', 'switched', 'stopped']),
      reason: z.string().optional(),
      /** Why Asterisk refused to attach the supervisor (reason `command_refused`). */
      error: z.string().optional(),
      at: z.string(),
    }),
  },
  // The unowned queue (telephony/unowned/): an entry someone claimed leaves every queue of the court.
  'unowned.claimed': {
    to: 'operators, managers',
    data: z.object({ key: id, kind: z.enum(['ticket', 'abandoned']), ticketId: id, claimedBy: id }),
  },
});

export type TelephonyEventType = keyof typeof telephonyEvents;
export type TelephonyEventData<Type extends TelephonyEventType> = EventDataOf<typeof telephonyEvents, Type>;

export type CallerHistoryEntry = TelephonyEventData<'call.screen_pop'>['history'][number];

/** Publishes one of telephony's events, checked against its declaration. */
export function publishEvent<Type extends TelephonyEventType>(bus: EventBus, event: CheckedEvent<typeof telephonyEvents, Type>): Promise<string> {
  return publishChecked(telephonyEvents, bus, event);
}

const everyoneOnDuty = { roles: ['operator', 'manager'] as ('operator' | 'manager')[] };

/** Publishes one of telephony's events to everyone on duty or to one user; never throws (a realtime event is a courtesy, never a reason to fail a call). */
export function publishTelephonyEvent<T extends TelephonyEventType>(bus: EventBus, type: T, courtId: string | null, data: TelephonyEventData<T>, onlyUser?: string): Promise<void> {
  const audience = onlyUser ? { userIds: [onlyUser] } : everyoneOnDuty;
  return publishEvent(bus, { type, courtId: courtId ?? '', audience, data }).then(
    () => undefined,
    () => undefined,
  );
}
