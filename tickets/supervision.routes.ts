import { z } from 'zod';
import { errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import { escalate, escalateSchema } from './escalation.ts';
import { commandErrors, ticketParams, ticketViewSchema } from './route-schemas.ts';
import type { TicketService } from './service.ts';
import { rolesFor } from './stage-machine.ts';
import { ageBuckets, supervisionBoard } from './supervision-query.ts';

const tags = ['tickets'];
const counts = { open: z.number().int(), overdue: z.number().int(), dueSoon: z.number().int(), extensionRequested: z.number().int() };
const time = z.date().nullable();

export const supervisionBoardSchema = z
  .object({
    asOf: z.date(),
    dueSoonUntil: z.date(),
    totals: z.object(counts),
    departments: z.array(
      z.object({ departmentId: z.uuid().nullable(), departmentName: z.string().nullable(), ...counts, backlog: z.object(Object.fromEntries(ageBuckets.map((b) => [b, z.number().int()])) as Record<(typeof ageBuckets)[number], z.ZodNumber>) }),
    ),
    judges: z.array(z.object({ handlerUserId: z.uuid().nullable(), handlerName: z.string().nullable(), departmentId: z.uuid().nullable(), departmentName: z.string().nullable(), ...counts })),
    tickets: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        category: z.string(),
        summary: z.string(),
        stage: z.enum(['handoff', 'chase']),
        deadline: time,
        handedOffAt: time,
        acceptedAt: time,
        chaseLevel: z.number().int(),
        extensionRequestedUntil: time,
        extensionReason: z.string().nullable(),
        handlerUserId: z.uuid().nullable(),
        handlerName: z.string().nullable(),
        departmentId: z.uuid().nullable(),
        departmentName: z.string().nullable(),
        overdue: z.boolean(),
      }),
    ),
    limit: z.number().int(),
  })
  .meta({ id: 'SupervisionBoard' });

/** The 督办 board (read-only) and escalation by hand; chase, void and extension decisions are the ticket commands. */
export function registerSupervisionRoutes(app: ApiApp, service: TicketService): void {
  app.get('/api/supervision', {
    config: { roles: ['department_head', 'manager'] },
    schema: {
      tags,
      summary: 'The 督办 board: overdue and soon-due work by department and judge, its list and the backlog by age (a head: their department; a manager: the court)',
      querystring: z.strictObject({}),
      response: { 200: supervisionBoardSchema, ...errorResponses },
    },
    handler: async (request) => supervisionBoard(service.ctx, request.actor),
  });

  app.post('/api/tickets/:ticketId/escalate', {
    config: { roles: rolesFor('escalate') },
    schema: { tags, summary: 'Escalate (督办升级): chase level up one; level 1 tells the department head, level 2 the managers', params: ticketParams, body: escalateSchema, response: { 200: ticketViewSchema, ...commandErrors } },
    handler: async (request) => {
      await escalate(service.ctx, request.actor, request.params.ticketId, request.body);
      return service.get(request.actor, request.params.ticketId);
    },
  });
}
