import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { timeLit } from './literals.ts';
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
  const asOf = (query.asOf ?? new Date()).getTime();
  if (query.to.getTime() <= asOf) return null;
  const end = new Date(asOf);
  if (query.from >= end) return 0;
  const where = filterConditions(query.filter).ticket;
  const text = `select count(*)::int as n from kpi.ticket_facts f
    where ${where.join(' and ')} and f.period_at >= ${timeLit(end)} and f.in_due and f.voided_at is null
      and f.delivered_at >= ${timeLit(query.from)} and f.delivered_at < ${timeLit(end)}`;
  const { rows } = await db.execute<{ n: number }>(sql.raw(text));
  return Number(rows[0]?.n ?? 0);
}
