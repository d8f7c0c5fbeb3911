import type { Db } from '../platform/db/client.ts';
import { callFactsFromRaw, callTicketsFromRaw, firstTicketsSql, ticketFactsFromRaw } from './facts-sql.ts';
import { timeLit, uuidLit } from './literals.ts';
import { queryKpis, type KpiQuery, type KpiRow } from './query.ts';

/** A call's ticket is created or attached after the call arrives; this much clock skew between the two is allowed. */
export const linkSkew = "interval '1 day'";

/**
 * Fact rows straight from the raw tables for one court and span `[from, end)`, as CTEs `raw_calls` and
 * `raw_tickets` (the columns of kpi.call_facts and kpi.ticket_facts), folding only what the span needs:
 * - calls arrived in the span (telephony.calls, with their transfer legs);
 * - tickets that may fall in it — created in it, or given a deadline in it by a hand-off or an extension
 *   (a ticket's period is its deadline in force, or its creation: always one of these) — and the tickets
 *   linked to those calls (for their category and the registration rate). Every event of those tickets is
 *   folded, whatever its time, so each fact row is whole; rows outside the span are cut by the caller.
 * Any period can be recounted this way, however old: nothing here reads kpi's caches.
 */
export function rawSpanCtes(courtId: string, from: Date, end: Date): string {
  const court = uuidLit(courtId);
  const [a, b] = [timeLit(from), timeLit(end)];
  const linkEvents = `e.court_id = ${court} and e.action in ('create', 'attach_call') and e.at >= ${a} - ${linkSkew}`;
  return `span_calls as (select c.id::text as id from telephony.calls c where c.court_id = ${court} and c.arrived_at >= ${a} and c.arrived_at < ${b}),
span_tickets as (
  select l.ticket_id from (${callTicketsFromRaw(linkEvents)}) l where l.call_id in (select id from span_calls)
  union
  select e.ticket_id from tickets.ticket_events e where e.court_id = ${court} and (
    (e.action = 'create' and e.at >= ${a} and e.at < ${b})
    or (e.action in ('hand_off', 'approve_extension') and e.after ? 'deadline' and (e.after->>'deadline')::timestamptz >= ${a} and (e.after->>'deadline')::timestamptz < ${b}))
),
raw_tickets as (${ticketFactsFromRaw('e.ticket_id in (select ticket_id from span_tickets)')}),
raw_links as (${callTicketsFromRaw('e.ticket_id in (select ticket_id from span_tickets)')}),
raw_first as (${firstTicketsSql('raw_links', 'raw_tickets')}),
raw_calls as (${callFactsFromRaw(`c.court_id = ${court} and c.arrived_at >= ${a} and c.arrived_at < ${b}`, 'raw_links', 'raw_tickets', 'raw_first')})`;
}

/** The relations and WITH list that make a KPI query read the raw tables (for kpiSql and the drill-down). */
export function rawSource(query: Pick<KpiQuery, 'filter' | 'from' | 'to' | 'asOf'>): { with: string; callFacts: string; ticketFacts: string } {
  const end = new Date(Math.min(query.to.getTime(), (query.asOf ?? new Date()).getTime()));
  const from = query.from.getTime() < end.getTime() ? query.from : end;
  return { with: rawSpanCtes(query.filter.courtId, from, end), callFacts: 'raw_calls', ticketFacts: 'raw_tickets' };
}

/** A KPI query answered straight from the raw tables (same buckets, keys and sums as queryKpis). */
export async function recountKpis(db: Db, query: KpiQuery): Promise<KpiRow[]> {
  return queryKpis(db, query, { factsOnly: true, ...rawSource(query) });
}
