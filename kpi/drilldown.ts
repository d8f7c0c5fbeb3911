import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { codeLit, intLit, timeLit, uuidLit } from './literals.ts';
import { measures, type MeasureName } from './measures.ts';
import { bucketExpr, filterConditions, type Dimension, type Grain, type KpiFilter } from './query.ts';
import { settingsLateral } from './settings.ts';
import { rawSource } from './span-recount.ts';

export interface DrillDown {
  filter: KpiFilter;
  from: Date;
  to: Date;
  asOf?: Date;
  measure: MeasureName;
  /** Narrow to one bucket and one dimension value of a KPI table (as the table returned them). */
  grain?: Grain;
  bucket?: string | null;
  by?: Dimension;
  key?: string | null;
  limit: number;
  offset: number;
}

export interface DrillDownResult {
  kind: 'call' | 'ticket';
  measure: MeasureName;
  /** Rows behind the figure; `total` is the figure itself (the sum of `value` over every row). */
  total: number;
  /** The moment the rows were cut at (the figures' `asOf` when given). */
  asOf: string;
  rows: { id: string; at: string; value: number }[];
}

const keyColumn: Record<Dimension, { call: string | null; ticket: string | null }> = {
  court: { call: null, ticket: null },
  operator: { call: 'f.operator_id', ticket: 'f.operator_id' },
  department: { call: null, ticket: 'f.department_id' },
  judge: { call: null, ticket: 'f.judge_id' },
  category: { call: 'f.category', ticket: 'f.category' },
};

/** The exact calls or tickets behind one figure: the rows, derived from the raw tables, whose measure value is not zero. */
export async function drillDown(db: Db, q: DrillDown): Promise<DrillDownResult> {
  const measure = measures.find((m) => m.name === q.measure)!;
  const kind = measure.source;
  const time = kind === 'call' ? 'f.arrived_at' : 'f.period_at';
  const id = kind === 'call' ? 'f.call_id' : 'f.ticket_id';
  const end = new Date(Math.min(q.to.getTime(), (q.asOf ?? new Date()).getTime()));
  const where = [...filterConditions(q.filter)[kind], `${time} >= ${timeLit(q.from)}`, `${time} < ${timeLit(end)}`, `(${measure.expr}) <> 0`];
  if (q.grain && q.grain !== 'total' && q.bucket !== undefined && q.bucket !== null) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(q.bucket)) throw new Error('bad bucket');
    where.push(`${bucketExpr(q.grain, `(${time} at time zone 'Asia/Shanghai')`)} = '${q.bucket}'`);
  }
  if (q.by && q.by !== 'court' && q.key !== undefined) {
    const column = keyColumn[q.by][kind];
    if (!column) where.push(q.key === null ? 'true' : 'false');
    else if (q.key === null) where.push(`${column} is null`);
    else where.push(`${column} = ${q.by === 'category' ? codeLit(q.key) : uuidLit(q.key)}`);
  }
  // Straight from the raw rows of the span (as the table's check): a drill-down lists what a recount finds.
  const source = rawSource({ filter: q.filter, from: q.from, to: q.to, asOf: end });
  const table = kind === 'call' ? source.callFacts : source.ticketFacts;
  const base = `from ${table} f ${settingsLateral(time)} where ${where.join(' and ')}`;
  const { rows: total } = await db.execute<{ total: string | null }>(sql.raw(`with ${source.with} select sum(${measure.expr})::float8 as total ${base}`));
  const { rows } = await db.execute<{ id: string; at: Date | string; value: string }>(
    sql.raw(`with ${source.with} select ${id}::text as id, ${time} as at, (${measure.expr})::float8 as value ${base} order by ${time}, ${id} limit ${intLit(q.limit)} offset ${intLit(q.offset)}`),
  );
  return { kind, measure: q.measure, asOf: end.toISOString(), total: Number(total[0]?.total ?? 0), rows: rows.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), value: Number(r.value) })) };
}
