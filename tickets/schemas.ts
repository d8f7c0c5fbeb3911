import { z } from 'zod';
import { invalid } from './errors.ts';
import { deliveryChannels, priorities, satisfactions } from './vocabulary.ts';

/** Command inputs: one zod schema each, shared by the service (validation) and the HTTP routes. */
const text = (max: number) => z.string().trim().min(1).max(max);
const phone = z.string().trim().regex(/^\+?[0-9]{3,20}$/, 'digits only, e.g. 13812345678');
const uuid = z.uuid();

export const ticketFieldsSchema = z.object({
  callerNumber: phone.optional(),
  callerName: text(100).optional(),
  caseNumber: z.string().max(64).optional(),
  category: text(64).default('enquiry'),
  summary: text(500),
  details: z.string().max(20_000).default(''),
  priority: z.enum(priorities).default('normal'),
});

export const createTicketSchema = ticketFieldsSchema.extend({ callId: text(128).optional() });
export type CreateTicketInput = z.input<typeof createTicketSchema>;

export const createFromCallSchema = z.object({
  courtId: uuid,
  callId: text(128),
  callerNumber: phone.optional(),
  callerName: text(100).optional(),
  /** The operator who answered (首问负责), if one did. */
  operatorId: uuid.optional(),
  category: text(64).optional(),
  summary: text(500).optional(),
  caseNumber: z.string().max(64).optional(),
});
export type CreateFromCallInput = z.input<typeof createFromCallSchema>;

export const editTicketSchema = ticketFieldsSchema.partial().extend({ reason: text(500).optional() });
export type EditTicketInput = z.input<typeof editTicketSchema>;

export const attachCallSchema = z.object({ callId: text(128) });
export const answerOnSpotSchema = z.object({ answer: text(5000) });

const handlerTarget = z
  .object({ handlerUserId: uuid.optional(), handlerDepartmentId: uuid.optional() })
  .refine((v) => Boolean(v.handlerUserId) !== Boolean(v.handlerDepartmentId), 'name exactly one of handlerUserId or handlerDepartmentId');

export const handOffSchema = handlerTarget;
export type HandOffInput = z.input<typeof handOffSchema>;
export const reassignSchema = z.intersection(handlerTarget, z.object({ reason: text(500) }));
export type ReassignInput = z.input<typeof reassignSchema>;

export const requestExtensionSchema = z.object({ until: z.coerce.date(), reason: text(1000) });
export const decideExtensionSchema = z.object({ approve: z.boolean(), reason: text(1000).optional() });
export const chaseSchema = z.object({ reason: text(1000) });
export const replySchema = z.object({ text: text(20_000) });
export const relayFeedbackSchema = z.object({ channel: z.enum(deliveryChannels) });
export const recordDeliverySchema = z.object({ channel: z.enum(deliveryChannels), delivered: z.boolean(), note: z.string().max(1000).optional() });
export const recordCallbackSchema = z.object({ resolved: z.boolean(), satisfaction: z.enum(satisfactions), note: z.string().max(2000).optional() });
export const voidSchema = z.object({ reason: text(1000) });
export const inboxSchema = z.object({
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
