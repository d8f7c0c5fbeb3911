import type { z } from 'zod';
import type { ApiApp } from '../platform/http/schemas.ts';
import type { Actor } from '../platform/user-roles.ts';
import { commandErrors, ticketParams, ticketViewSchema } from './route-schemas.ts';
import { markConfidentialSchema } from './confidential-command.ts';
import * as s from './schemas.ts';
import type { TicketService } from './service.ts';
import { rolesFor, type TicketAction } from './stage-machine.ts';

const tags = ['tickets'];

/** Registering, editing and moving tickets through their stages; each answers the ticket as it now is. */
export function registerTicketCommandRoutes(app: ApiApp, service: TicketService): void {
  app.post('/api/tickets', {
    config: { roles: ['operator', 'manager'] },
    schema: { tags, summary: 'Register a ticket by hand (接听); the caller owns it (首问负责)', body: s.createTicketSchema, response: { 201: ticketViewSchema, ...commandErrors } },
    handler: async (request, reply) => {
      const ticket = await service.create(request.actor, request.body);
      return reply.code(201).send(await service.get(request.actor, ticket.id));
    },
  });

  app.patch('/api/tickets/:ticketId', {
    config: { roles: rolesFor('edit') },
    schema: { tags, summary: 'Change what the ticket says (only the fields named)', params: ticketParams, body: s.editTicketSchema, response: { 200: ticketViewSchema, ...commandErrors } },
    handler: async (request) => {
      await service.edit(request.actor, request.params.ticketId, request.body);
      return service.get(request.actor, request.params.ticketId);
    },
  });

  /** A stage command: POST /api/tickets/:ticketId/<name>, allowed to the roles of its actions in the transition table. */
  const command = <Body extends z.ZodType>(name: string, actions: TicketAction[], summary: string, body: Body | undefined, run: (actor: Actor, ticketId: string, input: z.output<Body>) => Promise<unknown>) =>
    app.post(`/api/tickets/:ticketId/${name}`, {
      config: { roles: rolesFor(...actions) },
      schema: { tags, summary, params: ticketParams, ...(body ? { body } : {}), response: { 200: ticketViewSchema, ...commandErrors } },
      handler: async (request) => {
        await run(request.actor, request.params.ticketId, request.body as z.output<Body>);
        return service.get(request.actor, request.params.ticketId);
      },
    });

  command('calls', ['attach_call'], 'Attach another call about the same matter', s.attachCallSchema, (a, id, b) => service.attachCall(a, id, b));
  command('answer-on-spot', ['answer_on_spot', 'answer_on_spot_with_callback'], 'Answered on the spot: closed, or kept for a return visit', s.answerOnSpotSchema, (a, id, b) =>
    service.answerOnSpot(a, id, b),
  );
  command('handoff', ['hand_off'], 'Hand off to a judge or a department (交办); the deadline is set', s.handOffSchema, (a, id, b) => service.handOff(a, id, b));
  command('accept', ['accept'], 'The handler accepts (签收)', undefined, (a, id) => service.accept(a, id));
  command('reassign', ['reassign'], 'Reassign to another judge or department', s.reassignSchema, (a, id, b) => service.reassign(a, id, b));
  command('extension-request', ['request_extension'], 'Ask for a later deadline', s.requestExtensionBody, (a, id, b) => service.requestExtension(a, id, b));
  command('extension-decision', ['approve_extension', 'refuse_extension'], 'Approve or refuse the extension asked for', s.decideExtensionSchema, (a, id, b) =>
    service.decideExtension(a, id, b),
  );
  command('chase', ['chase'], 'Chase the handler (督办)', s.chaseSchema, (a, id, b) => service.chase(a, id, b));
  command('reply', ['reply'], "The handler's reply (反馈)", s.replySchema, (a, id, b) => service.reply(a, id, b));
  command('relay', ['relay_feedback'], 'Relay the reply to the caller by SMS or phone', s.relayFeedbackSchema, (a, id, b) => service.relayFeedback(a, id, b));
  command('delivery', ['record_delivery'], 'Record whether the reply reached the caller', s.recordDeliverySchema, (a, id, b) => service.recordDelivery(a, id, b));
  command('callback', ['close_after_callback', 'reopen'], 'The return visit (回访): closes, or reopens when unsatisfied', s.recordCallbackSchema, (a, id, b) =>
    service.recordCallback(a, id, b),
  );
  command('confidential', ['mark_confidential'], 'Mark confidential (保密): from then on only its handler, the department head and managers read it in full', markConfidentialSchema, (a, id, b) =>
    service.markConfidential(a, id, b),
  );
  command('void', ['void'], 'Void with a reason (the ticket is kept and still counts)', s.voidSchema, (a, id, b) => service.void(a, id, b));
}
