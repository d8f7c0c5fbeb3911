import { z } from 'zod';
import { errorBodySchema, errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import { userRoles } from '../platform/user-roles.ts';
import { categoryCode, categoryPatchSchema, categorySchema } from './admin.ts';
import { categoryViewSchema } from './route-schemas.ts';
import type { TicketService } from './service.ts';

const tags = ['ticket administration'];
const admin = { roles: ['admin'] } as const;

/** Categories with their deadline policy: everyone reads them, admins edit them (the calendar: calendar.routes.ts). */
export function registerTicketAdminRoutes(app: ApiApp, service: TicketService): void {
  app.get('/api/ticket-categories', {
    config: { roles: userRoles },
    schema: { tags, summary: 'Ticket categories and their deadline policies', response: { 200: z.array(categoryViewSchema), ...errorResponses } },
    handler: async () => service.categories(),
  });

  app.post('/api/ticket-categories', {
    config: admin,
    schema: { tags, summary: 'Add a category', body: categorySchema, response: { 201: categoryViewSchema, 409: errorBodySchema, ...errorResponses } },
    handler: async (request, reply) => reply.code(201).send(await service.addCategory(request.actor, request.body)),
  });

  app.patch('/api/ticket-categories/:code', {
    config: admin,
    schema: {
      tags,
      summary: "Change a category's names or deadline policy (tickets already handed off keep their deadline)",
      params: z.strictObject({ code: categoryCode }),
      body: categoryPatchSchema,
      response: { 200: categoryViewSchema, ...errorResponses },
    },
    handler: async (request) => service.updateCategory(request.actor, request.params.code, request.body),
  });
}
