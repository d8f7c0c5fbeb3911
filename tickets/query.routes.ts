import { z } from 'zod';
import { errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import { maskPhone } from '../platform/masking.ts';
import { userRoles } from '../platform/user-roles.ts';
import { ticketEventSchema, ticketParams, ticketViewSchema } from './route-schemas.ts';
import { inboxSchema } from './schemas.ts';
import type { TicketView } from './queries.ts';
import type { TicketService } from './service.ts';

const tags = ['tickets'];
const ticketList = z.array(ticketViewSchema);
/** Lists show the caller's number masked; the ticket itself shows it in full. */
const masked = (list: TicketView[]) => list.map((t) => ({ ...t, callerNumber: maskPhone(t.callerNumber) }));

/** Reading tickets: one ticket and its trail, a judge's inbox, a caller's history. */
export function registerTicketQueryRoutes(app: ApiApp, service: TicketService): void {
  app.get('/api/tickets/:ticketId', {
    config: { roles: userRoles },
    schema: { tags, summary: 'One ticket (judges and heads: only what is handed to them)', params: ticketParams, response: { 200: ticketViewSchema, ...errorResponses } },
    handler: async (request) => service.get(request.actor, request.params.ticketId),
  });

  app.get('/api/tickets/:ticketId/events', {
    config: { roles: userRoles },
    schema: { tags, summary: "The ticket's hash-chained trail, oldest first", params: ticketParams, response: { 200: z.array(ticketEventSchema), ...errorResponses } },
    handler: async (request) => service.events(request.actor, request.params.ticketId),
  });

  app.get('/api/tickets-inbox', {
    config: { roles: ['judge', 'department_head'] },
    schema: { tags, summary: "A judge's inbox or a head's department view, earliest deadline first", querystring: inboxSchema, response: { 200: ticketList, ...errorResponses } },
    handler: async (request) => masked(await service.inbox(request.actor, request.query)),
  });

  app.get('/api/callers/:callerNumber/tickets', {
    config: { roles: ['operator', 'manager', 'admin'] },
    schema: {
      tags,
      summary: "A caller's tickets by phone number, newest first",
      params: z.strictObject({ callerNumber: z.string().regex(/^\+?[0-9]{3,20}$/, 'digits only, e.g. 13812345678') }),
      response: { 200: ticketList, ...errorResponses },
    },
    handler: async (request) => masked(await service.callerHistory(request.actor, request.params.callerNumber)),
  });
}
