import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HotlineError } from '../platform/errors.ts';
import type { Actor, UserRole } from '../platform/user-roles.ts';
import { calendarDaySchema, categoryPatchSchema, categorySchema } from './admin.ts';
import * as s from './schemas.ts';
import type { TicketService } from './service.ts';
import { transitions, type TicketAction } from './stage-machine.ts';
import { priorities, satisfactions, stages } from './vocabulary.ts';

/**
 * The tickets HTTP routes. Sign-in is the api capability's: it sets `request.actor` and enforces each route's
 * `config.roles`; these handlers only pass the actor to the service, which checks stage, role and scope again.
 * Schemas are the service's zod schemas, turned into JSON Schema for Fastify and OpenAPI.
 */
const json = (schema: z.ZodType, io: 'input' | 'output' = 'input') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const date = z.iso.datetime().nullable();
export const ticketViewSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  courtId: z.uuid(),
  callIds: z.array(z.string()),
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
  handedOffAt: date,
  acceptedAt: date,
  deadline: date,
  extensionRequestedUntil: date,
  extensionReason: z.string().nullable(),
  chaseLevel: z.number().int(),
  feedbackText: z.string().nullable(),
  repliedAt: date,
  deliveryChannel: z.string().nullable(),
  deliveredAt: date,
  answeredOnSpot: z.boolean(),
  callbackResolved: z.boolean().nullable(),
  satisfaction: z.enum(satisfactions).nullable(),
  reopenCount: z.number().int(),
  voidReason: z.string().nullable(),
  closedAt: date,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
const ticketResponse = { 200: json(ticketViewSchema, 'output') };
const ticketListResponse = { 200: json(z.array(ticketViewSchema), 'output') };
const idParams = json(z.object({ id: z.uuid() }));
const staffRoles: UserRole[] = ['operator', 'judge', 'department_head', 'manager', 'admin'];

/** The roles the transition table allows for an action (the api enforces them before the handler runs). */
export function rolesFor(...actions: TicketAction[]): UserRole[] {
  const roles = new Set<UserRole>();
  for (const t of transitions) if ((actions as string[]).includes(t.action)) for (const r of t.roles) if (r !== 'system') roles.add(r);
  return [...roles];
}

/** The signed-in user, set by the api capability's authentication. */
export function actorOf(request: FastifyRequest): Actor {
  const actor = (request as FastifyRequest & { actor?: Actor }).actor;
  if (!actor) throw new HotlineError('unauthenticated', 401, 'Sign in first', '请先登录');
  return actor;
}

export async function ticketRoutes(app: FastifyInstance, { service }: { service: TicketService }): Promise<void> {
  type Params = { id: string };
  const command = <B>(
    path: string,
    actions: TicketAction[],
    body: z.ZodType | undefined,
    run: (actor: Actor, id: string, body: B) => Promise<unknown>,
  ) =>
    app.post<{ Params: Params; Body: B }>(
      path,
      { schema: { params: idParams, ...(body ? { body: json(body) } : {}), response: ticketResponse }, config: { roles: rolesFor(...actions) } },
      async (request) => {
        const actor = actorOf(request);
        await run(actor, request.params.id, request.body as B);
        return service.get(actor, request.params.id);
      },
    );

  app.post<{ Body: s.CreateTicketInput }>(
    '/tickets',
    { schema: { body: json(s.createTicketSchema), response: { 201: ticketResponse[200] } }, config: { roles: ['operator', 'manager'] } },
    async (request, reply) => {
      const actor = actorOf(request);
      const ticket = await service.create(actor, request.body);
      return reply.code(201).send(await service.get(actor, ticket.id));
    },
  );
  app.get<{ Params: Params }>('/tickets/:id', { schema: { params: idParams, response: ticketResponse }, config: { roles: staffRoles } }, (request) =>
    service.get(actorOf(request), request.params.id),
  );
  app.get<{ Params: Params }>('/tickets/:id/events', { schema: { params: idParams }, config: { roles: staffRoles } }, (request) =>
    service.events(actorOf(request), request.params.id),
  );
  app.patch<{ Params: Params; Body: s.EditTicketInput }>(
    '/tickets/:id',
    { schema: { params: idParams, body: json(s.editTicketSchema), response: ticketResponse }, config: { roles: rolesFor('edit') } },
    async (request) => {
      const actor = actorOf(request);
      await service.edit(actor, request.params.id, request.body);
      return service.get(actor, request.params.id);
    },
  );

  command<{ callId: string }>('/tickets/:id/calls', ['attach_call'], s.attachCallSchema, (a, id, b) => service.attachCall(a, id, b));
  command<{ answer: string }>('/tickets/:id/answer-on-spot', ['answer_on_spot', 'answer_on_spot_with_callback'], s.answerOnSpotSchema, (a, id, b) => service.answerOnSpot(a, id, b));
  command<s.HandOffInput>('/tickets/:id/handoff', ['hand_off'], z.object({ handlerUserId: z.uuid().optional(), handlerDepartmentId: z.uuid().optional() }), (a, id, b) => service.handOff(a, id, b));
  command('/tickets/:id/accept', ['accept'], undefined, (a, id) => service.accept(a, id));
  command<s.ReassignInput>('/tickets/:id/reassign', ['reassign'], z.object({ handlerUserId: z.uuid().optional(), handlerDepartmentId: z.uuid().optional(), reason: z.string().min(1) }), (a, id, b) => service.reassign(a, id, b));
  command<{ until: string; reason: string }>('/tickets/:id/extension-request', ['request_extension'], z.object({ until: z.iso.datetime({ offset: true }), reason: z.string().min(1) }), (a, id, b) => service.requestExtension(a, id, b));
  command<{ approve: boolean; reason?: string }>('/tickets/:id/extension-decision', ['approve_extension', 'refuse_extension'], s.decideExtensionSchema, (a, id, b) => service.decideExtension(a, id, b));
  command<{ reason: string }>('/tickets/:id/chase', ['chase'], s.chaseSchema, (a, id, b) => service.chase(a, id, b));
  command<{ text: string }>('/tickets/:id/reply', ['reply'], s.replySchema, (a, id, b) => service.reply(a, id, b));
  command<{ channel: 'phone' | 'sms' }>('/tickets/:id/relay', ['relay_feedback'], s.relayFeedbackSchema, (a, id, b) => service.relayFeedback(a, id, b));
  command<{ channel: 'phone' | 'sms'; delivered: boolean; note?: string }>('/tickets/:id/delivery', ['record_delivery'], s.recordDeliverySchema, (a, id, b) => service.recordDelivery(a, id, b));
  command<{ resolved: boolean; satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied'; note?: string }>('/tickets/:id/callback', ['close_after_callback', 'reopen'], s.recordCallbackSchema, (a, id, b) => service.recordCallback(a, id, b));
  command<{ reason: string }>('/tickets/:id/void', ['void'], s.voidSchema, (a, id, b) => service.void(a, id, b));

  app.get<{ Querystring: unknown }>('/tickets-inbox', { schema: { querystring: json(s.inboxSchema), response: ticketListResponse }, config: { roles: ['judge', 'department_head'] } }, (request) =>
    service.inbox(actorOf(request), request.query),
  );
  app.get<{ Params: { number: string } }>(
    '/callers/:number/tickets',
    { schema: { params: json(z.object({ number: z.string().regex(/^\+?[0-9]{3,20}$/) })), response: ticketListResponse }, config: { roles: ['operator', 'manager', 'admin'] } },
    (request) => service.callerHistory(actorOf(request), request.params.number),
  );

  app.get('/ticket-categories', { config: { roles: staffRoles } }, () => service.categories());
  app.post<{ Body: z.input<typeof categorySchema> }>('/ticket-categories', { schema: { body: json(categorySchema) }, config: { roles: ['admin'] } }, (request) =>
    service.addCategory(actorOf(request), request.body),
  );
  app.patch<{ Params: { code: string }; Body: z.input<typeof categoryPatchSchema> }>(
    '/ticket-categories/:code',
    { schema: { body: json(categoryPatchSchema) }, config: { roles: ['admin'] } },
    (request) => service.updateCategory(actorOf(request), request.params.code, request.body),
  );
  app.get<{ Params: { year: number } }>('/calendar/:year', { schema: { params: json(z.object({ year: z.coerce.number().int().min(2000).max(2100) })) }, config: { roles: staffRoles } }, (request) =>
    service.calendarDays(Number(request.params.year)),
  );
  app.put<{ Body: z.input<typeof calendarDaySchema> }>('/calendar', { schema: { body: json(calendarDaySchema) }, config: { roles: ['admin'] } }, (request) =>
    service.setCalendarDay(actorOf(request), request.body),
  );
}
