/**
 * SQL that fills a dedicated benchmark database with a year of traffic for one court, by generate_series:
 * calls with their events, and tickets with their events (create, hand_off, record_delivery, callback).
 * Ticket events carry placeholder hashes: this database is for timing the KPIs, not for audit checks.
 */
export function generationSql(calls: number, courtId: string, yearStartIso: string): string[] {
  return [
    `select setseed(0.12368)`,
    `insert into platform.courts (id, code, name) values ('${courtId}', 'B0001', '基准法院')`,
    `create unlogged table bench_people as select g as n, gen_random_uuid() as id from generate_series(0, 99) g`,
    // The year's monthly partitions, as the running controller keeps them (telephony/records/partitions.ts).
    `select telephony.ensure_month_partitions('telephony.calls', '${yearStartIso}'::timestamptz, '${yearStartIso}'::timestamptz + interval '366 days')`,
    `select telephony.ensure_month_partitions('telephony.call_events', '${yearStartIso}'::timestamptz, '${yearStartIso}'::timestamptz + interval '366 days')`,
    // Calls: 90% in hours; 85% of those queued; of the queued 80% answered, 15% abandoned.
    `insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours, skill, queued_at, answered_at, answered_by)
     select gen_random_uuid(), '${courtId}', 'ch' || g, '1380000' || lpad((g % 10000)::text, 4, '0'), '12368', at,
       case when not ih then 'after_hours' when not q then 'abandoned_in_menu' when r < 0.80 then 'answered' when r < 0.95 then 'abandoned_in_queue' else 'callback_requested' end::telephony.call_outcome,
       'caller', at + interval '4 minutes', ih, case when ih and q then 'general' end,
       case when ih and q then at + interval '8 seconds' end,
       case when ih and q and r < 0.80 then at + interval '8 seconds' + (r * 50) * interval '1 second' end,
       case when ih and q and r < 0.80 then (select id from bench_people where n = g % 40) end
     from (select g, '${yearStartIso}'::timestamptz + (g::float8 / ${calls}) * interval '365 days' as at,
                  random() < 0.9 as ih, random() < 0.85 as q, random() as r from generate_series(1, ${calls}) g) x`,
    `insert into telephony.call_events (id, call_id, court_id, at, seq, kind, data)
     select gen_random_uuid(), id, court_id, arrived_at, 1, 'arrived'::telephony.call_event_kind, '{}'::jsonb from telephony.calls
     union all select gen_random_uuid(), id, court_id, queued_at, 2, 'queued'::telephony.call_event_kind, '{}'::jsonb from telephony.calls where queued_at is not null
     union all select gen_random_uuid(), id, court_id, answered_at, 3, 'answered'::telephony.call_event_kind, '{}'::jsonb from telephony.calls where answered_at is not null
     union all select gen_random_uuid(), id, court_id, ended_at, 4, 'hangup'::telephony.call_event_kind, '{}'::jsonb from telephony.calls`,
    // Tickets for 40% of answered calls: 30% on the spot, else handed off (3 days), 85% delivered, 70% visited.
    `create unlogged table bench_tickets as
     select gen_random_uuid() as id, c.id as call_id, c.ended_at + interval '1 minute' as created_at, c.answered_by as owner,
       (array['enquiry','case_progress','contact_judge','complaint','suggestion','petition','execution_lead','other'])[1 + (abs(hashtext(c.id::text)) % 8)] as category,
       (select id from bench_people where n = 40 + abs(hashtext(c.id::text)) % 30) as judge,
       (select id from bench_people where n = 70 + abs(hashtext(c.id::text)) % 6) as department,
       random() as r1, random() as r2, random() as r3
     from telephony.calls c where c.answered_at is not null and random() < 0.4`,
    `insert into tickets.tickets (id, number, court_id, category, summary, created_at, updated_at)
     select id, 'B-' || id, '${courtId}', category, '基准', created_at, created_at from bench_tickets`,
    `insert into tickets.ticket_events (court_id, seq, ticket_id, action, actor_id, actor_role, at, before, after, prev_hash, hash)
     select '${courtId}', row_number() over (order by at, ord), ticket_id, action, actor, role, at, '{}'::jsonb, after, repeat('0', 64), repeat('0', 64) from (
       select id as ticket_id, 1 as ord, 'create' as action, owner as actor, 'system' as role, created_at as at,
              jsonb_build_object('category', category, 'ownerId', owner, 'stage', 'answer', 'callIds', jsonb_build_array(call_id::text)) as after from bench_tickets
       union all select id, 2, 'answer_on_spot', owner, 'operator', created_at + interval '3 minutes', jsonb_build_object('stage', 'closed', 'answeredOnSpot', true) from bench_tickets where r1 < 0.3
       union all select id, 2, 'hand_off', owner, 'operator', created_at + interval '3 minutes',
              jsonb_build_object('stage', 'handoff', 'handlerUserId', judge, 'handlerDepartmentId', department, 'deadline', to_char((created_at + interval '3 days') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) from bench_tickets where r1 >= 0.3
       union all select id, 3, 'record_delivery', owner, 'operator', created_at + (r2 * 4) * interval '1 day', jsonb_build_object('stage', 'callback', 'deliveredAt', 'x') from bench_tickets where r1 >= 0.3 and r2 < 0.85
       union all select id, 4, 'close_after_callback', owner, 'operator', created_at + (r2 * 4) * interval '1 day' + interval '1 hour',
              jsonb_build_object('stage', 'closed', 'satisfaction', case when r3 < 0.9 then 'satisfied' else 'basically_satisfied' end) from bench_tickets where r1 >= 0.3 and r2 < 0.85 and r3 < 0.7
     ) e`,
    `drop table bench_tickets`,
    `drop table bench_people`,
    `analyze`,
  ];
}
