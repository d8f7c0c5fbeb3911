import { z } from 'zod';
import { errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import type { CallRecords } from './ports.ts';
import { ticketEventSchema, ticketParams, ticketViewSchema } from './route-schemas.ts';
import type { TicketService } from './service.ts';
import { ticketPage } from './ticket-page.ts';
import { worklistCsv, worklistXlsx } from './worklist-export.ts';
import { worklistAll, worklistExportCap, worklistPage } from './worklist-query.ts';
import { worklistExportQuerySchema, worklistPageSchema, worklistQuerySchema } from './worklist-schema.ts';

const tags = ['tickets'];
/** The work list's readers: the desk, the heads (their department) and the court's managers and admins; judges use their inbox. */
const readers = ['operator', 'department_head', 'manager', 'admin'] as const;

const ticketPageSchema = z
  .object({
    ticket: ticketViewSchema.extend({ ownerName: z.string().nullable(), handlerName: z.string().nullable(), departmentName: z.string().nullable(), categoryName: z.string().nullable() }),
    events: z.array(ticketEventSchema.extend({ actorName: z.string().nullable() })),
    calls: z.array(
      z.object({
        callId: z.string(),
        arrivedAt: z.date(),
        answeredAt: z.date().nullable(),
        endedAt: z.date().nullable(),
        durationSeconds: z.number().int().nullable(),
        talkSeconds: z.number().int().nullable(),
        outcome: z.string().nullable(),
        operatorId: z.string().nullable(),
        operatorName: z.string().nullable(),
        recordings: z.array(z.object({ kind: z.string(), status: z.string(), playable: z.boolean(), url: z.string() })),
      }),
    ),
  })
  .meta({ id: 'TicketPage' });

/** The work list (工单列表), its export, and the ticket page's data in one answer (docs/api.md, "Work list"). */
export function registerWorklistRoutes(app: ApiApp, service: TicketService, callRecords: CallRecords | null): void {
  app.get('/api/tickets', {
    config: { roles: readers },
    schema: {
      tags,
      summary: 'The work list: filtered, sorted and paged on the server (operators and managers: the court; heads: their department)',
      querystring: worklistQuerySchema,
      response: { 200: worklistPageSchema, ...errorResponses },
    },
    handler: async (request) => worklistPage(service.ctx, request.actor, request.query),
  });

  app.get('/api/tickets/export', {
    config: { roles: readers },
    // No response schema: the body is a file; errors keep the one shape.
    schema: { tags, summary: `The filtered work list as XLSX (default) or CSV, in the list's order, at most ${worklistExportCap} tickets`, querystring: worklistExportQuerySchema },
    handler: async (request, reply) => {
      const { format, ...filters } = request.query;
      const { rows, capped } = await worklistAll(service.ctx, request.actor, filters);
      const now = service.ctx.clock.now();
      const name = `worklist-${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
      if (format === 'csv') return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(worklistCsv(rows));
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .send(await worklistXlsx(rows, { exportedAt: now, capped, cap: worklistExportCap }));
    },
  });

  app.get('/api/tickets/:ticketId/page', {
    config: { roles: readers },
    schema: {
      tags,
      summary: "A ticket's page: the ticket with names, its whole trail with who acted, its calls (time, duration, operator, outcome) and recordings",
      params: ticketParams,
      response: { 200: ticketPageSchema, ...errorResponses },
    },
    handler: async (request) => ticketPage(service, callRecords, request.actor, request.params.ticketId),
  });
}
