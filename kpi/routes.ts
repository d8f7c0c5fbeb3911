import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { errors } from '../platform/http/errors.ts';
import { calendarDate, errorResponses, serialId, type ApiApp } from '../platform/http/schemas.ts';
import type { Db } from '../platform/db/client.ts';
import type { Actor } from '../platform/user-roles.ts';
import { drillDown } from './drilldown.ts';
import { toCsv, toXlsx } from './export.ts';
import { chinaDate } from './export-format.ts';
import { keyNames } from './key-names.ts';
import { closedNotYetDueRows } from './not-yet-due.ts';
import { queueLength, queueLengthSchema } from './queue-length.ts';
import type { MeasureName } from './measures.ts';
import type { KpiQuery } from './query.ts';
import { scopedFilter } from './scope.ts';
import { queueLengthQuerySchema, drillDownQuerySchema, drillDownSchema, exportQuerySchema, kpiQuerySchema, spanQuerySchema, kpiTableSchema, settingsResponseSchema, weeklyReportSchema, type KpiQueryInput } from './schemas.ts';
import { changeSettings, currentSettings, settingsSchema } from './settings.ts';
import { kpiTable, type RecountMemos } from './table.ts';
import { unassignedCalls, unassignedSchema } from './unassigned.ts';
import { issueWeeklyReport, weekStartOf, type Checkpoint } from './weekly-report.ts';

const everyone = ['operator', 'judge', 'department_head', 'manager', 'admin'] as const;
const managers = ['manager', 'admin'] as const;
const tags = ['kpi'];

function toQuery(actor: Actor, q: KpiQueryInput): KpiQuery {
  const now = Date.now();
  const asOf = q.asOf ? new Date(Math.min(new Date(q.asOf).getTime(), now)) : new Date(now);
  return { filter: scopedFilter(actor, q), from: new Date(q.from), to: new Date(q.to), grain: q.grain, by: q.by, asOf };
}

export interface KpiRouteHooks {
  /** Asks for the court's rollups to be rebuilt (after a settings change). */
  requestRebuild(): Promise<void>;
  /** Signs recounts of closed months, so a long span's check recounts only what changed (kpi/recount-memo.ts). */
  memos?: RecountMemos;
  /** Writes a signed checkpoint of every chain's head, with each weekly report issued on demand. */
  checkpoint?: Checkpoint;
}

/** The KPI routes: figures, drill-downs, exports, settings and weekly reports (docs/kpi.md). */
export function registerKpiRoutes(app: ApiApp, db: Db, hooks: KpiRouteHooks): void {
  app.get('/api/kpi/figures', {
    config: { roles: everyone },
    schema: { tags, summary: 'KPI table for a span, by grain and dimension (operators, judges and heads see their own)', querystring: kpiQuerySchema, response: { 200: kpiTableSchema, ...errorResponses } },
    handler: async (request) => kpiTable(db, toQuery(request.actor, request.query), hooks.memos),
  });

  app.get('/api/kpi/drilldown', {
    config: { roles: everyone },
    schema: { tags, summary: 'The calls or tickets behind one figure', querystring: drillDownQuerySchema, response: { 200: drillDownSchema, ...errorResponses } },
    handler: async (request) => {
      const q = request.query;
      const query = toQuery(request.actor, q);
      if (q.measure === 'closed_not_yet_due') return closedNotYetDueRows(db, query, q.limit, q.offset);
      return drillDown(db, { ...query, measure: q.measure as MeasureName, bucket: q.bucket, key: q.key, limit: q.limit, offset: q.offset });
    },
  });

  app.get('/api/kpi/export', {
    config: { roles: everyone },
    // No response schema: the body is a file (the serializer would JSON-encode it); errors keep the one shape.
    schema: { tags, summary: 'A KPI table as CSV or XLSX', querystring: exportQuerySchema },
    handler: async (request, reply) => {
      const query = toQuery(request.actor, request.query);
      const lang = request.query.lang;
      const [table, names] = await Promise.all([kpiTable(db, query, hooks.memos), keyNames(db, request.actor.courtId, query.by, lang)]);
      const options = { lang, names, filter: query.filter };
      // Named by the China-time dates of the span, as the file's own lines say it.
      const name = `kpi-${chinaDate(table.from)}-${chinaDate(table.to, true)}`;
      if (request.query.format === 'csv') {
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(table, options));
      }
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .send(await toXlsx(table, options));
    },
  });

  app.get('/api/kpi/queue-length', {
    config: { roles: managers },
    schema: {
      tags,
      summary: 'The most callers waiting at once, per bucket of a span (at most 2 days): the wallboard’s queue line',
      querystring: queueLengthQuerySchema,
      response: { 200: queueLengthSchema, ...errorResponses },
    },
    handler: async (request) => {
      const q = request.query;
      return queueLength(db, request.actor.courtId, new Date(q.from), new Date(q.to), q.stepMinutes);
    },
  });

  app.get('/api/kpi/unassigned', {
    config: { roles: ['admin'] },
    schema: {
      tags,
      summary: 'Calls of the whole deployment whose dialled number maps to no court (kept, counted in no court): the admin’s alert',
      querystring: spanQuerySchema,
      response: { 200: unassignedSchema, ...errorResponses },
    },
    handler: async (request) => unassignedCalls(db, new Date(request.query.from), new Date(request.query.to)),
  });

  app.get('/api/kpi/settings', {
    config: { roles: managers },
    schema: { tags, summary: 'KPI settings in force (service-level and short-abandon thresholds)', response: { 200: settingsResponseSchema, ...errorResponses } },
    handler: async (request) => currentSettings(db, request.actor.courtId),
  });

  app.put('/api/kpi/settings', {
    config: { roles: ['admin'] },
    schema: { tags, summary: 'Change the KPI settings (kept as a new row; rollups are rebuilt)', body: settingsSchema, response: { 200: settingsResponseSchema, ...errorResponses } },
    handler: async (request) => {
      await changeSettings(db, request.actor.courtId, request.actor.userId, request.body, new Date());
      await hooks.requestRebuild();
      return currentSettings(db, request.actor.courtId);
    },
  });

  app.get('/api/kpi/weekly-reports', {
    config: { roles: managers },
    schema: { tags, summary: 'Weekly reports issued for the court, newest first', response: { 200: z.array(weeklyReportSchema), ...errorResponses } },
    handler: async (request) => {
      const { rows } = await db.execute<Record<string, unknown>>(
        sql`select id, court_id, week_start::text, trigger, generated_at, body from kpi.weekly_reports where court_id = ${request.actor.courtId} order by id desc limit 60`,
      );
      return rows.map(reportOut);
    },
  });

  app.get('/api/kpi/weekly-reports/:reportId', {
    config: { roles: managers },
    schema: { tags, summary: 'One weekly report', params: z.strictObject({ reportId: serialId }), response: { 200: weeklyReportSchema, ...errorResponses } },
    handler: async (request) => {
      const { rows } = await db.execute<Record<string, unknown>>(
        sql`select id, court_id, week_start::text, trigger, generated_at, body from kpi.weekly_reports where id = ${request.params.reportId} and court_id = ${request.actor.courtId}`,
      );
      if (!rows[0]) throw errors.notFound('weekly report');
      return reportOut(rows[0]);
    },
  });

  app.post('/api/kpi/weekly-reports', {
    config: { roles: managers },
    schema: {
      tags,
      summary: 'Issue the weekly report now (default: the week before this one)',
      body: z.strictObject({ weekOf: calendarDate.optional() }),
      response: { 201: weeklyReportSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const now = new Date();
      const weekStart = request.body.weekOf ? weekStartOf(new Date(`${request.body.weekOf}T12:00:00+08:00`)) : new Date(weekStartOf(now).getTime() - 7 * 86_400_000);
      if (weekStart > now) throw errors.invalidInput('the week has not started yet / 该周尚未开始');
      const { id } = await issueWeeklyReport(db, request.actor.courtId, weekStart, 'on_demand', request.actor.userId, now, hooks.checkpoint ?? null);
      const { rows } = await db.execute<Record<string, unknown>>(sql`select id, court_id, week_start::text, trigger, generated_at, body from kpi.weekly_reports where id = ${id}`);
      return reply.status(201).send(reportOut(rows[0]!));
    },
  });
}

function reportOut(row: Record<string, unknown>) {
  return {
    id: Number(row.id),
    courtId: String(row.court_id),
    weekStart: String(row.week_start),
    trigger: String(row.trigger),
    generatedAt: new Date(row.generated_at as string).toISOString(),
    body: row.body as Record<string, unknown>,
  };
}
