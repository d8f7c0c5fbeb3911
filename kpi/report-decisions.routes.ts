import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { courts } from '../platform/courts.sql.ts';
import type { Db } from '../platform/db/client.ts';
import { errors } from '../platform/http/errors.ts';
import { errorBodySchema, errorResponses, serialId, type ApiApp } from '../platform/http/schemas.ts';
import { decisionStates } from './decisions.sql.ts';
import { weeklyReports } from './kpi.sql.ts';
import { decisionsOf, recordDecision, recordDecisionSchema, setDecisionState, setDecisionStateSchema } from './report-decisions.ts';
import type { WeeklyReportBody } from './weekly-report.ts';
import { weeklyReportWorkbook } from './weekly-report-xlsx.ts';

const tags = ['kpi'];
/** As the weekly-report routes: managers, and admins who may read them. */
const managers = ['manager', 'admin'] as const;
const reportParams = z.strictObject({ reportId: serialId });

export const decisionSchema = z
  .object({
    id: z.number().int(),
    reportId: z.number().int(),
    reportWeekStart: z.string(),
    text: z.string(),
    ownerUserId: z.uuid(),
    ownerName: z.string(),
    dueDate: z.string(),
    state: z.enum(decisionStates),
    stateNote: z.string().nullable(),
    recordedBy: z.uuid(),
    recordedByName: z.string(),
    recordedAt: z.string(),
    stateChangedBy: z.uuid().nullable(),
    stateChangedByName: z.string().nullable(),
    stateChangedAt: z.string().nullable(),
  })
  .meta({ id: 'ReportDecision' });

/** The review meeting's decisions recorded against a weekly report, and the report as an XLSX workbook. */
export function registerReportDecisionRoutes(app: ApiApp, db: Db): void {
  app.get('/api/kpi/weekly-reports/:reportId/decisions', {
    config: { roles: managers },
    schema: { tags, summary: "The review meeting's decisions recorded against a weekly report", params: reportParams, response: { 200: z.array(decisionSchema), ...errorResponses } },
    handler: async (request) => decisionsOf(db, request.actor, request.params.reportId),
  });

  app.post('/api/kpi/weekly-reports/:reportId/decisions', {
    config: { roles: managers },
    schema: {
      tags,
      summary: 'Record a decision of the review meeting (what, owner, due date); it is open until marked done or dropped',
      params: reportParams,
      body: recordDecisionSchema,
      response: { 201: decisionSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await recordDecision(db, request.actor, request.params.reportId, request.body, new Date())),
  });

  app.patch('/api/kpi/report-decisions/:decisionId', {
    config: { roles: managers },
    schema: {
      tags,
      summary: "Set a decision's state (open, done, dropped) with an optional note; each change is kept",
      params: z.strictObject({ decisionId: serialId }),
      body: setDecisionStateSchema,
      response: { 200: decisionSchema, ...errorResponses, 409: errorBodySchema },
    },
    handler: async (request) => setDecisionState(db, request.actor, request.params.decisionId, request.body, new Date()),
  });

  app.get('/api/kpi/weekly-reports/:reportId/xlsx', {
    config: { roles: managers },
    // No response schema: the body is a file; errors keep the one shape.
    schema: { tags, summary: 'The weekly report as an XLSX workbook (Chinese headers, percentages, China time, names)', params: reportParams },
    handler: async (request, reply) => {
      const [report] = await db
        .select({ weekStart: weeklyReports.weekStart, generatedAt: weeklyReports.generatedAt, body: weeklyReports.body, courtName: courts.name })
        .from(weeklyReports)
        .innerJoin(courts, eq(courts.id, weeklyReports.courtId))
        .where(and(eq(weeklyReports.id, request.params.reportId), eq(weeklyReports.courtId, request.actor.courtId)));
      if (!report) throw errors.notFound('weekly report');
      const { rows: categories } = await db.execute<{ code: string; name_zh: string }>(sql`select code, name_zh from tickets.categories`);
      const file = await weeklyReportWorkbook({
        courtName: report.courtName,
        weekStart: report.weekStart,
        generatedAt: report.generatedAt,
        body: report.body as WeeklyReportBody,
        categoryNames: new Map(categories.map((c) => [c.code, c.name_zh])),
        decisions: await decisionsOf(db, request.actor, request.params.reportId),
      });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="weekly-report-${report.weekStart}.xlsx"`)
        .send(file);
    },
  });
}
