import { z } from 'zod';
import type { Audience, EventBus } from '../../platform/events.ts';
import { callOutcomes, hangupParties } from '../../telephony/calls/types.ts';
import { attemptResults, legKinds, outboundStatuses } from '../../telephony/outbound/types.ts';
import { presenceStates } from '../../telephony/presence/presence-state.ts';

/**
 * The realtime events consoles receive: one source for publishers (typed, validated) and for
 * docs/api.md. A capability adds its events here, then publishes with `publishEvent`.
 * Phone numbers in event data are masked (platform/masking.ts) except where the receiving console dials them.
 */
const id = z.string().min(1);
export const eventCatalogue = {
  // Telephony (telephony/realtime-events.ts publishes them through publishEvent).
  'call.offered': {
    to: 'operators, managers',
    data: z.object({ callId: id, skill: z.string().optional(), callerNumberMasked: z.string(), queuedAt: z.string(), position: z.number().int().optional() }),
  },
  'call.ringing': { to: 'the operator rung', data: z.object({ callId: id, operatorId: id, callerNumber: z.string() }) },
  'call.answered': { to: 'operators, managers', data: z.object({ callId: id, operatorId: id, answeredAt: z.string() }) },
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
  'ticket.assigned': { to: 'the handler, their department head', data: z.object({ ticketId: id, number: z.string(), handlerUserId: id.nullable(), departmentId: id.nullable(), dueAt: z.string() }) },
  'ticket.due_soon': { to: 'the handler, their department head', data: z.object({ ticketId: id, number: z.string(), dueAt: z.string() }) },
  'ticket.overdue': { to: 'the handler, their department head, managers', data: z.object({ ticketId: id, number: z.string(), dueAt: z.string(), chaseCount: z.number().int() }) },
  'ticket.replied': { to: 'the operator who owns the ticket', data: z.object({ ticketId: id, number: z.string(), repliedBy: id }) },
  'wallboard.figures': {
    to: 'managers',
    data: z.object({ at: z.string(), waiting: z.number().int(), operatorsReady: z.number().int(), connectionRate: z.number().nullable(), completionRate: z.number().nullable() }),
  },
} as const;

export type EventType = keyof typeof eventCatalogue;
export type EventData<Type extends EventType> = z.infer<(typeof eventCatalogue)[Type]['data']>;

/** Messages the hub itself sends, not published by capabilities. */
export const hubMessages = {
  hello: 'sent first on every connection: {type:"hello", data:{userId, role, courtId}}',
  resync: 'the missed events could not be replayed (buffer trimmed or lost): reload state over HTTP',
} as const;

/** Publishes a catalogued event after checking its data against the catalogue (a typo fails here, not in a console). */
export async function publishEvent<Type extends EventType>(
  events: EventBus,
  event: { type: Type; courtId: string; audience: Audience; data: EventData<Type> },
): Promise<string> {
  const data = eventCatalogue[event.type].data.parse(event.data);
  return events.publish({ ...event, data });
}
