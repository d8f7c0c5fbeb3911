import { z } from 'zod';
import { multilineText, text } from '../platform/text.ts';
import { instant } from '../platform/http/schemas.ts';
import { invalid } from './errors.ts';
import { deliveryChannels, priorities, satisfactions } from './vocabulary.ts';

/**
 * Command inputs: one zod schema each, shared by the service (validation) and the HTTP routes. Objects are
 * strict (an unknown field is refused, not ignored); free text is printable (no NUL, lone surrogates or
 * invisible format characters, which PostgreSQL cannot store or which disguise text).
 */
const phone = z.string().trim().regex(/^\+?[0-9]{3,20}$/, 'digits only, e.g. 13812345678');
const uuid = z.uuid();
const callId = text(128);
const caseNumber = z.string().max(64);

/** The fields a person types into a ticket; no defaults here, so an edit changes only what it names. */
const ticketFields = {
  callerNumber: phone,
  callerName: text(100),
  caseNumber,
  category: text(64),
  summary: text(500),
  details: multilineText(20_000, 0),
  priority: z.enum(priorities),
};

export const createTicketSchema = z.strictObject({
  ...ticketFields,
  callerNumber: phone.optional(),
  callerName: ticketFields.callerName.optional(),
  caseNumber: caseNumber.optional(),
  category: ticketFields.category.default('enquiry'),
  details: ticketFields.details.default(''),
  priority: ticketFields.priority.default('normal'),
  callId: callId.optional(),
  /** 保密 at registration (tickets/confidential.ts); later: POST /api/tickets/:id/confidential. */
  confidential: z.boolean().default(false),
});
export type CreateTicketInput = z.input<typeof createTicketSchema>;

export const createFromCallSchema = z.strictObject({
  courtId: uuid,
  callId,
  callerNumber: phone.optional(),
  callerName: ticketFields.callerName.optional(),
  /** The operator who answered (首问负责), if one did. */
  operatorId: uuid.optional(),
  category: ticketFields.category.optional(),
  summary: ticketFields.summary.optional(),
  caseNumber: caseNumber.optional(),
});
export type CreateFromCallInput = z.input<typeof createFromCallSchema>;

/** A caller who reached no operator left a message or asked to be called back (telephony's second entry point). */
export const createFromMessageSchema = z.strictObject({
  courtId: uuid,
  callId,
  /** Absent when the caller withheld their number. */
  callerNumber: phone.optional(),
  kind: z.enum(['message', 'callback']),
  /** Why no operator took the call. */
  reason: z.enum(['after_hours', 'queue_timeout']).optional(),
  /** The recorded message's name in the telephony recordings (kind `message`). */
  recordingName: text(200).optional(),
});
export type CreateFromMessageInput = z.input<typeof createFromMessageSchema>;

export const editTicketSchema = z
  .strictObject({ ...ticketFields, reason: multilineText(500) })
  .partial()
  .refine(({ reason: _reason, ...fields }) => Object.keys(fields).length > 0, 'name at least one field to change');
export type EditTicketInput = z.input<typeof editTicketSchema>;

export const attachCallSchema = z.strictObject({ callId });
export const answerOnSpotSchema = z.strictObject({ answer: multilineText(5000) });

const handlerTarget = { handlerUserId: uuid.optional(), handlerDepartmentId: uuid.optional() };
const exactlyOneHandler = (v: { handlerUserId?: string | undefined; handlerDepartmentId?: string | undefined }) => Boolean(v.handlerUserId) !== Boolean(v.handlerDepartmentId);
const oneHandler = 'name exactly one of handlerUserId or handlerDepartmentId';

export const handOffSchema = z.strictObject(handlerTarget).refine(exactlyOneHandler, oneHandler);
export type HandOffInput = z.input<typeof handOffSchema>;

/** A call transferred to a judge or department (telephony's third entry point): the transferred-call ticket. */
export const createFromTransferSchema = z
  .strictObject({
    courtId: uuid,
    callId,
    callerNumber: phone.optional(),
    /** The operator who transferred the call (they own the ticket); absent for the voice menu's transfer. */
    operatorId: uuid.optional(),
    ...handlerTarget,
    targetLabel: text(200),
    outcome: z.enum(['answered', 'no_answer', 'busy', 'rejected', 'failed', 'cancelled', 'caller_left']),
    caseNumber: caseNumber.optional(),
    recordingName: text(200).optional(),
  })
  .refine(exactlyOneHandler, oneHandler);
export type CreateFromTransferInput = z.input<typeof createFromTransferSchema>;

export const reassignSchema = z.strictObject({ ...handlerTarget, reason: multilineText(500) }).refine(exactlyOneHandler, oneHandler);
export type ReassignInput = z.input<typeof reassignSchema>;

const extensionReason = multilineText(1000);
/** The service takes a Date or an ISO time; over HTTP it is an ISO time with its offset (`requestExtensionBody`). */
export const requestExtensionSchema = z.strictObject({ until: z.coerce.date(), reason: extensionReason });
export const requestExtensionBody = z.strictObject({ until: instant, reason: extensionReason });
export const decideExtensionSchema = z.strictObject({ approve: z.boolean(), reason: multilineText(1000).optional() });
export const chaseSchema = z.strictObject({ reason: multilineText(1000) });
export const replySchema = z.strictObject({ text: multilineText(20_000) });
export const relayFeedbackSchema = z.strictObject({ channel: z.enum(deliveryChannels) });
/** A phone delivery by hand names its proof: the answered call in which the caller was told, or the connected relay call (not both). */
export const recordDeliverySchema = z
  .strictObject({ channel: z.enum(deliveryChannels), delivered: z.boolean(), note: multilineText(1000).optional(), callId: uuid.optional(), outboundId: uuid.optional() })
  .refine((d) => !(d.callId && d.outboundId), { message: 'name either callId or outboundId, not both', path: ['outboundId'] });
export const recordCallbackSchema = z.strictObject({ resolved: z.boolean(), satisfaction: z.enum(satisfactions), note: multilineText(2000).optional() });
export const voidSchema = z.strictObject({ reason: multilineText(1000) });
export const inboxSchema = z.strictObject({
  filter: z.enum(['all', 'due_soon', 'overdue', 'extension_requested']).default('all'),
  dueSoonHours: z.coerce.number().int().min(1).max(24 * 30).default(24),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Parses a command input, or throws a 400 HotlineError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
  throw invalid('invalid_input', `Invalid input: ${fields.join('; ')}`, `输入有误：${fields.join('；')}`);
}
