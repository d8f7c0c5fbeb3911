import { z } from 'zod';
import { errorBodySchema, errorResponses, idParam } from '../platform/http/schemas.ts';
import { calendarDayKinds, dayKinds, deliveryChannels, priorities, satisfactions, stages } from './vocabulary.ts';

/** Schemas of the tickets routes: the path parameter, the error responses, and what they answer (dates as ISO strings). */
export const ticketParams = idParam('ticketId');

/** The error responses of a ticket command: the common ones, and 409 when the ticket's state does not allow it. */
export const commandErrors = { ...errorResponses, 409: errorBodySchema } as const;

const time = z.date().nullable();

export const ticketViewSchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    courtId: z.uuid(),
    callIds: z.array(z.string()),
    /** Masked in lists; full in the ticket itself (the operator relays the reply to it). */
    callerNumber: z.string().nullable(),
    callerName: z.string().nullable(),
    caseNumber: z.string().nullable(),
    category: z.string(),
    summary: z.string(),
    details: z.string(),
    priority: z.enum(priorities),
    stage: z.enum(stages),
    ownerId: z.uuid().nullable(),
    handlerUserId: z.uuid().nullable(),
    handlerDepartmentId: z.uuid().nullable(),
    handedOffAt: time,
    acceptedAt: time,
    deadline: time,
    extensionRequestedUntil: time,
    extensionReason: z.string().nullable(),
    chaseLevel: z.number().int(),
    feedbackText: z.string().nullable(),
    repliedAt: time,
    deliveryChannel: z.enum(deliveryChannels).nullable(),
    deliveredAt: time,
    answeredOnSpot: z.boolean(),
    callbackResolved: z.boolean().nullable(),
    satisfaction: z.enum(satisfactions).nullable(),
    callbackAt: time,
    reopenCount: z.number().int(),
    voidReason: z.string().nullable(),
    closedAt: time,
    createdAt: z.date(),
    updatedAt: z.date(),
    /** 保密: by its own mark or its category's (docs/tickets.md, "Confidential complaints"). */
    confidential: z.boolean(),
    /** This copy is masked for its reader: caller number, name, case number and calls empty, no text. */
    masked: z.boolean(),
  })
  .meta({ id: 'Ticket' });

export const ticketEventSchema = z
  .object({
    id: z.number().int(),
    seq: z.number().int(),
    ticketId: z.uuid(),
    action: z.string(),
    actorId: z.uuid(),
    /** A user role, or `system` (timers, telephony, workers). */
    actorRole: z.string(),
    at: z.date(),
    before: z.record(z.string(), z.unknown()),
    after: z.record(z.string(), z.unknown()),
    reason: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'TicketEvent' });

export const categoryViewSchema = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    deadlineDays: z.number().int(),
    dayKind: z.enum(dayKinds),
    callbackWhenAnsweredOnSpot: z.boolean(),
    active: z.boolean(),
    /** Every ticket of the category is confidential. */
    confidential: z.boolean(),
    sortOrder: z.number().int(),
    updatedAt: z.date(),
  })
  .meta({ id: 'TicketCategory' });

export const calendarDayViewSchema = z
  .object({
    day: z.iso.date(),
    kind: z.enum(calendarDayKinds),
    name: z.string(),
    source: z.string(),
    /** national: inherited from the State Council's calendar; court: the court's own day, which wins. */
    origin: z.enum(['national', 'court']),
    updatedAt: z.date(),
  })
  .meta({ id: 'CalendarDay' });

export const businessHoursViewSchema = z
  .object({ sessions: z.array(z.object({ weekday: z.number().int(), opens: z.string(), closes: z.string() })) })
  .meta({ id: 'BusinessHours' });
