import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { AttemptResult, OutboundStatus } from '../outbound/types.ts';
import { standingClaim, usableNumberSql } from './claims.ts';

/**
 * One caller who gave up, on one China day (a withheld or anonymous number — not one that can be called back — is
 * no one in particular: each of its tries is an entry of its own): every try of theirs that day not yet covered by a claim, the latest
 * first. A try is a call of the court that ended `abandoned_in_queue` (the caller had asked for a person, by a
 * menu choice or the menu's fallback), or `abandoned_in_menu` after a menu choice (e.g. while keying a case number).
 */
export interface AbandonedEntry {
  callerNumber: string;
  day: string;
  tries: number;
  /** Arrival times of the tries, newest first (at most 20). */
  times: Date[];
  lastCallId: string;
  lastAt: Date;
  firstAt: Date;
  lastOutcome: 'abandoned_in_queue' | 'abandoned_in_menu';
  /** The menu option the caller chose on their latest try (menu.ts), null when they reached the queue by fallback. */
  menuOption: string | null;
  /** Automatic callbacks started for this caller that day, and how the latest one stands. */
  autoAttempts: number;
  autoLastStatus: OutboundStatus | null;
  autoLastResult: AttemptResult | null;
  autoLastAt: Date | null;
}

export interface AbandonedFilter {
  courtId: string;
  since: Date;
  /** Only this caller (a claim re-reads its entry). */
  callerNumber?: string;
  limit?: number;
  /** The moment that decides whether a claim without its ticket is void (claims.ts); now when not given. */
  now?: number;
}

/**
 * The abandoned callers still waiting for someone, newest first. Left out: tries a claim covers, and a caller who
 * since their latest try was answered (a later call of theirs that day reached an operator or a transfer target) or
 * was called back and reached (an outbound call to their number, of any purpose, connected after it).
 */
export async function abandonedEntries(db: Db, f: AbandonedFilter): Promise<AbandonedEntry[]> {
  const now = f.now ?? Date.now();
  const caller = f.callerNumber === undefined ? sql`` : sql`and c.caller_number = ${f.callerNumber}`;
  const { rows } = await db.execute<{
    caller_number: string;
    day: string;
    tries: number;
    times: string[];
    last_call_id: string;
    last_at: string;
    first_at: string;
    last_outcome: AbandonedEntry['lastOutcome'];
    menu_option: string | null;
    auto_attempts: number;
    auto_last_status: OutboundStatus | null;
    auto_last_result: AttemptResult | null;
    auto_last_at: string | null;
  }>(sql`
    with tries as (
      select c.id, c.caller_number, c.arrived_at, c.outcome::text as outcome,
             (c.arrived_at at time zone 'Asia/Shanghai')::date as day,
             (select e.data->>'option' from telephony.call_events e where e.call_id = c.id and e.kind = 'menu_choice' order by e.seq desc limit 1) as menu_option,
             ${usableNumberSql(sql`c.caller_number`)} as usable
        from telephony.calls c
       where c.court_id = ${f.courtId} and c.arrived_at >= ${f.since.toISOString()}::timestamptz ${caller}
         and c.outcome in ('abandoned_in_queue', 'abandoned_in_menu')
    ),
    open_tries as (
      select t.* from tries t
       where (t.outcome = 'abandoned_in_queue' or t.menu_option is not null)
         and not exists (select 1 from telephony.unowned_claims k
                          where k.court_id = ${f.courtId} and k.caller_number = t.caller_number and k.day = t.day and ${standingClaim('k', now)}
                            and case when t.usable then k.through >= t.arrived_at else k.call_id = t.id end)
    ),
    entries as (
      select caller_number, day, count(*)::int as tries,
             to_json((array_agg(arrived_at order by arrived_at desc))[1:20]) as times,
             (array_agg(id order by arrived_at desc))[1] as last_call_id,
             max(arrived_at) as last_at, min(arrived_at) as first_at,
             (array_agg(outcome order by arrived_at desc))[1] as last_outcome,
             (array_agg(menu_option order by arrived_at desc))[1] as menu_option
        from open_tries group by caller_number, day, case when usable then '' else id::text end
    )
    select e.caller_number, e.day::text as day, e.tries, e.times, e.last_call_id, e.last_at, e.first_at, e.last_outcome, e.menu_option,
           coalesce(a.n, 0)::int as auto_attempts, a.status as auto_last_status, a.result as auto_last_result, a.started_at as auto_last_at
      from entries e
      left join lateral (
        select count(*) over () as n, o.status::text as status, o.result::text as result, ac.started_at
          from telephony.auto_callbacks ac join telephony.outbound_requests o on o.id = ac.outbound_id
         where ac.court_id = ${f.courtId} and ac.caller_number = e.caller_number and ac.day = e.day
         order by ac.started_at desc limit 1
      ) a on true
     where (not ${usableNumberSql(sql`e.caller_number`)} or (not exists (
             select 1 from telephony.calls l
              where l.court_id = ${f.courtId} and l.caller_number = e.caller_number and l.arrived_at > e.last_at
                and l.arrived_at < ((e.day + 1)::timestamp at time zone 'Asia/Shanghai')
                and (l.answered_at is not null or l.outcome in ('answered', 'transferred')))
       and not exists (
             select 1 from telephony.outbound_requests o
              where o.court_id = ${f.courtId} and o.number = e.caller_number and o.result = 'connected'
                and coalesce(o.finished_at, o.updated_at) > e.last_at
                and coalesce(o.finished_at, o.updated_at) < ((e.day + 1)::timestamp at time zone 'Asia/Shanghai'))))
     order by e.last_at desc
     limit ${f.limit ?? 500}
  `);
  return rows.map((r) => ({
    callerNumber: r.caller_number,
    day: r.day,
    tries: r.tries,
    times: r.times.map((t) => new Date(t)),
    lastCallId: r.last_call_id,
    lastAt: new Date(r.last_at),
    firstAt: new Date(r.first_at),
    lastOutcome: r.last_outcome,
    menuOption: r.menu_option,
    autoAttempts: r.auto_attempts,
    autoLastStatus: r.auto_last_status,
    autoLastResult: r.auto_last_result,
    autoLastAt: r.auto_last_at ? new Date(r.auto_last_at) : null,
  }));
}
