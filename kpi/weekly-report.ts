import { sql } from 'drizzle-orm';
import { maskPhone } from '../platform/masking.ts';
import type { Db } from '../platform/db/client.ts';
import { qualityOfWeek, type QualityWeek } from '../telephony/quality/week-figures.ts';
import { drillDown } from './drilldown.ts';
import { target } from './kpis.ts';
import { carriedDecisions, type DecisionView } from './report-decisions.ts';
import { kpiTable } from './table.ts';

const dayMs = 86_400_000;
const chinaOffsetMs = 8 * 3_600_000;

/** Monday 00:00 China time of the week holding `at`. */
export function weekStartOf(at: Date): Date {
  const local = at.getTime() + chinaOffsetMs;
  const day = Math.floor(local / dayMs);
  const weekday = (day + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
  return new Date((day - weekday) * dayMs - chinaOffsetMs);
}

export interface WeeklyReportBody {
  weekStart: string;
  weekEnd: string;
  asOf: string;
  figures: Awaited<ReturnType<typeof kpiTable>>['total'];
  againstTargets: { figure: string; value: number | null; target: number; met: boolean | null }[];
  topCategories: { category: string | null; tickets: number }[];
  overdueTickets: { ticketId: string; number: string | null; dueAt: string }[];
  unsatisfiedCallers: { ticketId: string; number: string | null; callerNumber: string | null }[];
  /** The earlier reviews' decisions still open, or closed since the last report, as they stood when this one was issued (reports issued before decisions were kept have none). */
  carriedDecisions?: DecisionView[];
  /** 录音质检 of the week's answered calls (telephony/quality; reports issued before it have none). */
  quality?: QualityWeek;
}

/** The weekly review (seed 002 §22) of one court's week, from the same figures as the dashboard. */
export async function buildWeeklyReport(db: Db, courtId: string, weekStart: Date, asOf: Date): Promise<WeeklyReportBody> {
  const from = weekStart;
  const to = new Date(weekStart.getTime() + 7 * dayMs);
  const filter = { courtId };
  const table = await kpiTable(db, { filter, from, to, grain: 'total', by: 'court', asOf });
  const byCategory = await kpiTable(db, { filter, from, to, grain: 'total', by: 'category', asOf });
  const overdue = await drillDown(db, { filter, from, to, asOf, measure: 'overdue', limit: 200, offset: 0 });
  const unsatisfied = await drillDown(db, { filter, from, to, asOf, measure: 'unsatisfied', limit: 200, offset: 0 });
  const ids = [...overdue.rows, ...unsatisfied.rows].map((r) => r.id);
  const { rows: found } = ids.length
    ? // A confidential ticket (its own mark or its category's, tickets/confidential.ts) gives no caller number to a report.
      await db.execute<{ id: string; number: string; caller_number: string | null }>(
        sql`select t.id::text as id, t.number, case when t.confidential or coalesce(c.confidential, false) then null else t.caller_number end as caller_number
            from tickets.tickets t left join tickets.categories c on c.code = t.category
            where t.id::text in ${sql.raw(`(${ids.map((id) => `'${id.replace(/[^0-9a-f-]/gi, '')}'`).join(',')})`)}`,
      )
    : { rows: [] };
  const ticket = new Map(found.map((t) => [t.id, t]));
  const k = table.total.kpis;
  const met = (v: number | null) => (v === null ? null : v >= target);
  return {
    weekStart: from.toISOString(),
    weekEnd: to.toISOString(),
    asOf: asOf.toISOString(),
    figures: table.total,
    againstTargets: [
      { figure: 'connectionRate', value: k.connectionRate.combined, target, met: met(k.connectionRate.combined) },
      { figure: 'completionRate', value: k.completionRate, target, met: met(k.completionRate) },
      { figure: 'score', value: k.score, target: 6, met: k.score === null ? null : k.score === 6 },
    ],
    topCategories: byCategory.rows
      .map((r) => ({ category: r.key, tickets: r.sums.tickets }))
      .filter((r) => r.tickets > 0)
      .sort((a, b) => b.tickets - a.tickets)
      .slice(0, 5),
    overdueTickets: overdue.rows.map((r) => ({ ticketId: r.id, number: ticket.get(r.id)?.number ?? null, dueAt: r.at })),
    unsatisfiedCallers: unsatisfied.rows.map((r) => ({ ticketId: r.id, number: ticket.get(r.id)?.number ?? null, callerNumber: maskPhone(ticket.get(r.id)?.caller_number) })),
    quality: await qualityOfWeek(db, courtId, from, to),
  };
}

/** Writes a signed checkpoint of every chain's head (platform/seals `Seals.checkpoint`). */
export type Checkpoint = (reason: string) => Promise<unknown>;

/** Builds and stores the report (never overwriting an earlier one); returns its id. */
export async function issueWeeklyReport(
  db: Db,
  courtId: string,
  weekStart: Date,
  trigger: 'schedule' | 'on_demand',
  requestedBy: string | null,
  now: Date,
  checkpoint: Checkpoint | null,
): Promise<{ id: number; body: WeeklyReportBody }> {
  const week = new Date(weekStart.getTime() + chinaOffsetMs).toISOString().slice(0, 10);
  const body: WeeklyReportBody = { ...(await buildWeeklyReport(db, courtId, weekStart, now)), carriedDecisions: await carriedDecisions(db, courtId, week) };
  // A signed checkpoint of every chain's head with each report: the figures' records as of now.
  await checkpoint?.(`weekly report ${courtId} ${week}`);
  const { rows } = await db.execute<{ id: string }>(
    sql`insert into kpi.weekly_reports (court_id, week_start, trigger, requested_by, generated_at, body)
        values (${courtId}, ${week}, ${trigger}, ${requestedBy}, ${now.toISOString()}, ${JSON.stringify(body)}::jsonb) returning id`,
  );
  return { id: Number(rows[0]!.id), body };
}
