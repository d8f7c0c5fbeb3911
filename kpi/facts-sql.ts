/**
 * How a fact row is derived from the raw append-only records, as SQL. The same text feeds the stored facts
 * (sync and reconcile) and the recount straight from the raw tables (tests, benchmark baseline).
 * `$TICKETS` / `$CALLS` are WHERE conditions choosing which raw rows to fold (on alias e / c).
 */

const maxBigint = '9223372036854775807';

/** One row per ticket, folded from tickets.ticket_events (alias e chooses the tickets). */
export function ticketFactsFromRaw(ticketCondition: string): string {
  return `
with ev as (
  select e.* from tickets.ticket_events e
  where e.ticket_id in (select distinct e.ticket_id from tickets.ticket_events e where ${ticketCondition})
), fd as (
  select ticket_id, min(id) as first_delivery_id, min(at) as delivered_at
  from ev where action = 'record_delivery' group by ticket_id
), dl as (
  -- Deadlines set (hand-off, approved extension) before the first delivery, each with the one it replaced.
  select ev.ticket_id, ev.id, ev.at, (ev.after->>'deadline')::timestamptz as deadline,
    lag((ev.after->>'deadline')::timestamptz) over (partition by ev.ticket_id order by ev.id) as replaced
  from ev left join fd using (ticket_id)
  where ev.action in ('hand_off', 'approve_extension') and ev.after->>'deadline' is not null and ev.id < coalesce(fd.first_delivery_id, ${maxBigint})
), late as (
  -- The first deadline set after the one in force had passed: it and every later one do not move the period.
  select ticket_id, min(id) as late_id from dl where replaced is not null and at > replaced group by ticket_id
), due as (
  select dl.ticket_id, (array_agg(dl.deadline order by dl.id desc))[1] as due_at
  from dl left join late using (ticket_id) where dl.id < coalesce(late.late_id, ${maxBigint}) group by dl.ticket_id
), folded as (
  select ev.ticket_id,
    (array_agg(ev.court_id))[1] as court_id,
    min(ev.at) filter (where ev.action = 'create') as created_at,
    (array_agg(ev.after->>'category' order by ev.id desc) filter (where ev.after ? 'category'))[1] as category,
    ((array_agg(ev.after->>'ownerId' order by ev.id desc) filter (where ev.after ? 'ownerId'))[1])::uuid as operator_id,
    ((array_agg(ev.after->>'handlerDepartmentId' order by ev.id desc) filter (where ev.after ? 'handlerDepartmentId'))[1])::uuid as department_id,
    ((array_agg(ev.after->>'handlerUserId' order by ev.id desc) filter (where ev.after ? 'handlerUserId'))[1])::uuid as judge_id,
    min(ev.at) filter (where ev.action = 'hand_off') as handed_off_at,
    min(due.due_at) as due_at,
    min(fd.delivered_at) as delivered_at,
    min(ev.at) filter (where ev.action = 'void') as voided_at,
    coalesce(bool_or(ev.action in ('answer_on_spot', 'answer_on_spot_with_callback')), false) as on_spot,
    coalesce(bool_or(ev.action in ('record_delivery', 'answer_on_spot_with_callback')), false) as callback_due,
    coalesce(bool_or(ev.action in ('close_after_callback', 'reopen')), false) as callback_done,
    (array_agg(ev.after->>'satisfaction' order by ev.id) filter (where ev.action in ('close_after_callback', 'reopen')))[1] as satisfaction,
    (count(*) filter (where ev.action = 'reopen'))::int as reopened,
    (count(*) filter (where ev.action in ('escalate', 'chase')))::int as chases,
    coalesce(bool_or(ev.actor_role <> 'system'), false) as by_person
  from ev left join fd using (ticket_id) left join due using (ticket_id)
  group by ev.ticket_id
)
select folded.ticket_id, folded.court_id, folded.created_at,
  coalesce(folded.due_at, folded.created_at) as period_at,
  folded.category, folded.operator_id, folded.department_id, folded.judge_id, folded.handed_off_at, folded.due_at,
  folded.delivered_at, folded.voided_at, folded.on_spot,
  (not folded.on_spot and (folded.due_at is not null or folded.voided_at is not null)) as in_due,
  folded.callback_due, folded.callback_done, folded.satisfaction, folded.reopened, folded.chases, folded.by_person
from folded where folded.created_at is not null`;
}

/** The calls each chosen ticket came from. */
export function callTicketsFromRaw(ticketCondition: string): string {
  return `
select distinct x.call_id, x.ticket_id from (
  select e.ticket_id, jsonb_array_elements_text(e.after->'callIds') as call_id
  from tickets.ticket_events e where e.action = 'create' and jsonb_typeof(e.after->'callIds') = 'array' and (${ticketCondition})
  union all
  select e.ticket_id, e.after->>'callId' from tickets.ticket_events e
  where e.action = 'attach_call' and e.after->>'callId' is not null and coalesce(e.after->>'alreadyAttached', 'false') <> 'true' and (${ticketCondition})
) x`;
}

/**
 * One row per call, from telephony.calls (alias c chooses the calls), with its first ticket taken from
 * the given link and ticket-fact relations (the stored tables, or CTE names holding the raw derivations
 * above, for a recount).
 */
export function callFactsFromRaw(callCondition: string, links = 'kpi.call_tickets', tickets = 'kpi.ticket_facts', firstTickets?: string): string {
  return `
select c.id as call_id, c.court_id, c.arrived_at, c.answered_by as operator_id,
  t.category, t.ticket_id,
  (c.in_hours is true and c.queued_at is not null) as offered,
  (c.in_hours is true and c.queued_at is not null and c.answered_at is not null) as answered,
  (c.in_hours is true and c.queued_at is not null and c.outcome is not distinct from 'abandoned_in_queue') as abandoned,
  (case when c.queued_at is not null and c.answered_at is not null then (extract(epoch from c.answered_at - c.queued_at) * 1000)::bigint
        when c.queued_at is not null and c.outcome = 'abandoned_in_queue' and c.ended_at is not null then (extract(epoch from c.ended_at - c.queued_at) * 1000)::bigint
   end) as wait_ms,
  (case when c.answered_at is not null and c.ended_at is not null then (extract(epoch from c.ended_at - c.answered_at) * 1000)::bigint end) as handle_ms,
  coalesce(t.registered, false) as registered,
  coalesce(x.attempts, 0)::smallint as transfer_attempts,
  coalesce(x.connected, 0)::smallint as transfers_connected
from telephony.calls c
left join lateral (
  select count(*) as attempts, count(*) filter (where tl.outcome = 'answered') as connected
  from telephony.transfer_legs tl
  where tl.call_id = c.id and tl.target_kind in ('judge', 'department') and tl.outcome is distinct from 'cancelled'
) x on true
${
  firstTickets
    ? `left join ${firstTickets} t on t.call_id = c.id::text and t.court_id is not distinct from c.court_id
`
    : `left join lateral (
  select tf.ticket_id, tf.category, bool_or(tf.by_person) over () as registered
  from ${links} l join ${tickets} tf on tf.ticket_id = l.ticket_id
  -- Only a ticket of the call's own court gives it a category or a registration (a link across courts counts nowhere).
  where l.call_id = c.id::text and tf.court_id is not distinct from c.court_id
  order by tf.created_at, tf.ticket_id
  limit 1
) t on true
`
}where ${callCondition}`;
}

/** Facts of every call and ticket chosen, straight from the raw tables, as CTEs `raw_tickets` and `raw_calls`. */
export function rawFactsCtes(ticketCondition: string, callCondition: string): string {
  return `raw_tickets as (${ticketFactsFromRaw(ticketCondition)}),
raw_links as (${callTicketsFromRaw(ticketCondition)}),
raw_first as (${firstTicketsSql('raw_links', 'raw_tickets')}),
raw_calls as (${callFactsFromRaw(callCondition, 'raw_links', 'raw_tickets', 'raw_first')})`;
}

/**
 * Each call's first ticket per court (category, id) and whether a person acted on any of that court's tickets
 * linked to it, from link and ticket relations: a join, for CTE relations (a lateral per call would scan a CTE
 * once per call).
 */
export function firstTicketsSql(links: string, tickets: string): string {
  return `select distinct on (l.call_id, tf.court_id) l.call_id, tf.court_id, tf.ticket_id, tf.category,
  bool_or(tf.by_person) over (partition by l.call_id, tf.court_id) as registered
from ${links} l join ${tickets} tf on tf.ticket_id = l.ticket_id
order by l.call_id, tf.court_id, tf.created_at, tf.ticket_id`;
}
