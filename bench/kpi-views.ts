/**
 * The KPI benchmark's other views: the rollup each reads, the rows it scans (EXPLAIN ANALYZE) and its p95.
 * Used by bench/kpi-rollups.ts; measured in the same run as the headline views.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { dimensionsOf } from '../kpi/key-sets.ts';
import { measureNames } from '../kpi/measures.ts';
import { kpiSql, rollupChoice, type KpiQuery } from '../kpi/query.ts';
import { uncheckedTable as kpiTable } from '../kpi/table.ts';
import { cpuPerRun } from './kpi-cpu.ts';

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

const kpiTables = new Set(['rollup_hourly', 'rollup_daily', 'call_facts', 'ticket_facts']);

/** Rows the query scans in the kpi rollup and fact tables (returned plus removed by a filter). */
export async function rowsRead(db: Db, text: string): Promise<number> {
  const { rows } = await db.execute<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(sql.raw(`explain (analyze, format json) ${text}`));
  const walk = (node: PlanNode): number =>
    (node['Relation Name'] && kpiTables.has(node['Relation Name']) ? ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1) : 0) +
    (node.Plans ?? []).reduce((n, p) => n + walk(p), 0);
  return walk(rows[0]!['QUERY PLAN'][0].Plan);
}

const keysName = (set: number) => (set === 0 ? 'court' : dimensionsOf(set).join('+'));
function path(query: Pick<KpiQuery, 'filter' | 'by' | 'grain'>): string {
  const choice = rollupChoice(query);
  return choice.dailyKeySet !== null ? `daily by ${keysName(choice.dailyKeySet)}` : `hourly by ${choice.hourlyKeySet === 15 ? 'every key (base)' : keysName(choice.hourlyKeySet)}`;
}

export interface ViewContext {
  courtId: string;
  yearStart: Date;
  yearEnd: Date;
  monthFrom: Date;
  monthTo: Date;
  asOf: Date;
  time(fn: () => Promise<unknown>): Promise<number[]>;
  p95(xs: number[]): number;
}

/** Table rows `| view | reads | rows read | p95 | CPU per answer |` for the views beyond the two headline ones. */
export async function otherViews(db: Db, c: ViewContext): Promise<string[]> {
  const { rows } = await db.execute<{ operator_id: string; department_id: string; judge_id: string; category: string }>(
    sql`select operator_id, department_id, judge_id, category from kpi.ticket_facts where court_id = ${c.courtId} and department_id is not null and judge_id is not null and operator_id is not null limit 1`,
  );
  const pick = rows[0]!;
  const courtId = c.courtId;
  const hourSpanEnd = new Date(c.monthFrom.getTime() + 31 * 86_400_000);
  const views: [string, Omit<KpiQuery, 'asOf'>][] = [
    ['12 months by month, per operator', { filter: { courtId }, from: c.yearStart, to: c.yearEnd, grain: 'month', by: 'operator' }],
    ['one operator’s month by category (their own slice)', { filter: { courtId, operatorId: pick.operator_id }, from: c.monthFrom, to: c.monthTo, grain: 'total', by: 'category' }],
    ['a department’s month by judge, one category (three keys)', { filter: { courtId, departmentId: pick.department_id, category: pick.category }, from: c.monthFrom, to: c.monthTo, grain: 'total', by: 'judge' }],
    ['an operator’s month by judge, one category (three keys, the largest set of three)', { filter: { courtId, operatorId: pick.operator_id, category: pick.category }, from: c.monthFrom, to: c.monthTo, grain: 'total', by: 'judge' }],
    ['a department’s month by operator, one judge and category (all four keys)', { filter: { courtId, departmentId: pick.department_id, judgeId: pick.judge_id, category: pick.category }, from: c.monthFrom, to: c.monthTo, grain: 'total', by: 'operator' }],
    ['31 days by hour, the court', { filter: { courtId }, from: c.monthFrom, to: hourSpanEnd, grain: 'hour', by: 'court' }],
    ['31 days by hour, per operator', { filter: { courtId }, from: c.monthFrom, to: hourSpanEnd, grain: 'hour', by: 'operator' }],
    ['one month per operator, from 10:30 to 10:30 (loose edges from facts)', { filter: { courtId }, from: new Date(c.monthFrom.getTime() + 10.5 * 3600_000), to: new Date(c.monthTo.getTime() + 10.5 * 3600_000), grain: 'total', by: 'operator' }],
  ];
  const out: string[] = [];
  for (const [name, query] of views) {
    const view = () => kpiTable(db, { ...query, asOf: c.asOf });
    const ms = await c.time(view);
    out.push(`| ${name} | ${path(query)} | ${await rowsRead(db, kpiSql({ ...query, asOf: c.asOf })!)} | ${c.p95(ms).toFixed(1)} ms | ${(await cpuPerRun(db, 10, view)).toFixed(1)} ms |`);
  }
  // The per-operator month as the previous layout answered it: summing the hourly base rows.
  const oldSql = `select operator_id, ${measureNames.map((n) => `sum(${n})::float8 as ${n}`).join(', ')} from kpi.rollup_hourly
    where court_id = '${courtId}' and key_set = 15 and hour >= '${c.monthFrom.toISOString()}' and hour < '${c.monthTo.toISOString()}' group by operator_id`;
  const oldMs = await c.time(() => db.execute(sql.raw(oldSql)));
  const oldCpu = await cpuPerRun(db, 10, () => db.execute(sql.raw(oldSql)));
  out.push(`| one month per operator, summed from the hourly base rows (the previous layout's path, for comparison) | hourly by every key (base) | ${await rowsRead(db, oldSql)} | ${c.p95(oldMs).toFixed(1)} ms | ${oldCpu.toFixed(1)} ms |`);
  return out;
}
