import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { intLit, timeLit } from './literals.ts';
import { filterConditions, type KpiQuery } from './query.ts';

/**
 * Tickets completed (feedback delivered) in the span up to its moment, whose deadline is later: a ticket counts in
 * the period of its deadline (docs/kpi.md), so until then it is in no completion rate. Shown beside the rate so a
 * ticket closed today is not missing without a word. Read from the synced facts (kpi.ticket_facts, by the
 * court-and-period index: only tickets whose deadline is still ahead of now are scanned, a few weeks' work).
 * Null for a span that ended before its moment: there the scan would be every later ticket, and its figures
 * are the period's own.
 */
export async function closedNotYetDue(db: Db, query: Pick<KpiQuery, 'filter' | 'from' | 'to' | 'asOf'>): Promise<number | null> {
  const where = conditions(query);
  if (where === null) return null;
  if (where === false) return 0;
  const { rows } = await db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from kpi.ticket_facts f where ${where}`));
  return Number(rows[0]?.n ?? 0);
}

/** The WHERE of the count over kpi.ticket_facts f: null when not computed (a span already over), false when empty. */
function conditions(query: Pick<KpiQuery, 'filter' | 'from' | 'to' | 'asOf'>): string | null | false {
  const asOf = (query.asOf ?? new Date()).getTime();
  if (query.to.getTime() <= asOf) return null;
  const end = new Date(asOf);
  if (query.from >= end) return false;
  return [...filterConditions(query.filter).ticket, `f.period_at >= ${timeLit(end)}`, 'f.in_due', 'f.voided_at is null', `f.delivered_at >= ${timeLit(query.from)}`, `f.delivered_at < ${timeLit(end)}`].join(' and ');
}

/** The drill-down of the count: the tickets, in order of delivery (`at`, the delivery time; `value` 1 each). */
export async function closedNotYetDueRows(db: Db, query: Pick<KpiQuery, 'filter' | 'from' | 'to' | 'asOf'>, limit: number, offset: number) {
  const where = conditions(query);
  const end = new Date(Math.min(query.to.getTime(), (query.asOf ?? new Date()).getTime())).toISOString();
  if (!where) return { kind: 'ticket' as const, measure: 'closed_not_yet_due', asOf: end, total: 0, rows: [] };
  const [{ rows: counted }, { rows }] = await Promise.all([
    db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from kpi.ticket_facts f where ${where}`)),
    db.execute<{ id: string; at: Date | string }>(sql.raw(`select f.ticket_id::text as id, f.delivered_at as at from kpi.ticket_facts f where ${where} order by f.delivered_at, f.ticket_id limit ${intLit(limit)} offset ${intLit(offset)}`)),
  ]);
  return { kind: 'ticket' as const, measure: 'closed_not_yet_due', asOf: end, total: Number(counted[0]?.n ?? 0), rows: rows.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), value: 1 })) };
}
