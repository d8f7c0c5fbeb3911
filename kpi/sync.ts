import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Tx } from '../tickets/audit.ts';
import { callFactsFromRaw, callTicketsFromRaw, ticketFactsFromRaw } from './facts-sql.ts';
import { intLit, timeLit, uuidArrayLit } from './literals.ts';
import { refreshRollups, type DirtyHour } from './rollup.ts';

export interface SyncOptions {
  /** Ticket event ids re-read behind the watermark (events of transactions that committed out of id order). */
  eventIdLookback: number;
  /** Calls re-read behind the newest arrival seen (calls close, and spooled rows land, after they arrive). */
  callLookbackMs: number;
}

export const defaultSyncOptions: SyncOptions = { eventIdLookback: 1000, callLookbackMs: 6 * 3600_000 };

export interface SyncResult {
  tickets: number;
  calls: number;
  hours: number;
}

const lockKey = `hashtextextended('kpi.sync', 0)`;

async function state(tx: Tx, name: string): Promise<number | null> {
  const { rows } = await tx.execute<{ value: string }>(sql`select value from kpi.sync_state where name = ${name}`);
  return rows[0] ? Number(rows[0].value) : null;
}

async function setState(tx: Tx, name: string, value: number): Promise<void> {
  await tx.execute(sql`insert into kpi.sync_state (name, value, updated_at) values (${name}, ${value}, now())
    on conflict (name) do update set value = excluded.value, updated_at = excluded.updated_at`);
}

/** Recomputes the facts of the chosen tickets; returns the hours whose rollups changed and the calls they came from. */
async function refreshTicketFacts(tx: Tx, ticketCondition: string): Promise<{ dirty: DirtyHour[]; calls: string[]; count: number }> {
  await tx.execute(sql.raw(`create temp table kpi_fresh_tickets on commit drop as ${ticketFactsFromRaw(ticketCondition)}`));
  const { rows: dirty } = await tx.execute<{ court_id: string; hour: string }>(
    sql.raw(`select o.court_id, date_trunc('hour', o.period_at) as hour from kpi.ticket_facts o join kpi_fresh_tickets n using (ticket_id) where row(o.*)::text is distinct from row(n.*)::text
      union select n.court_id, date_trunc('hour', n.period_at) from kpi_fresh_tickets n left join kpi.ticket_facts o using (ticket_id) where o.ticket_id is null or row(o.*)::text is distinct from row(n.*)::text`),
  );
  const { rows: changed } = await tx.execute<{ ticket_id: string }>(
    sql.raw(`select n.ticket_id from kpi_fresh_tickets n left join kpi.ticket_facts o using (ticket_id) where o.ticket_id is null or row(o.*)::text is distinct from row(n.*)::text`),
  );
  const { rows: count } = await tx.execute<{ n: string }>(sql.raw(`select count(*) as n from kpi_fresh_tickets`));
  await tx.execute(
    sql.raw(`insert into kpi.ticket_facts select * from kpi_fresh_tickets on conflict (ticket_id) do update set
      court_id = excluded.court_id, created_at = excluded.created_at, period_at = excluded.period_at, category = excluded.category,
      operator_id = excluded.operator_id, department_id = excluded.department_id, judge_id = excluded.judge_id,
      handed_off_at = excluded.handed_off_at, due_at = excluded.due_at, delivered_at = excluded.delivered_at, voided_at = excluded.voided_at,
      on_spot = excluded.on_spot, in_due = excluded.in_due, callback_due = excluded.callback_due, callback_done = excluded.callback_done,
      satisfaction = excluded.satisfaction, reopened = excluded.reopened, chases = excluded.chases, by_person = excluded.by_person`),
  );
  await tx.execute(sql.raw(`insert into kpi.call_tickets (call_id, ticket_id) ${callTicketsFromRaw(`e.ticket_id in (select ticket_id from kpi_fresh_tickets)`)} on conflict do nothing`));
  let calls: string[] = [];
  if (changed.length > 0) {
    const { rows } = await tx.execute<{ call_id: string }>(
      sql.raw(`select distinct l.call_id from kpi.call_tickets l where l.ticket_id = any(${uuidArrayLit(changed.map((c) => c.ticket_id))})`),
    );
    calls = rows.map((r) => r.call_id).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  }
  await tx.execute(sql`drop table kpi_fresh_tickets`);
  return { dirty: dirty.map((d) => ({ courtId: d.court_id, hour: d.hour })), calls, count: Number(count[0]?.n ?? 0) };
}

/** Recomputes the facts of the chosen calls; returns the hours whose rollups changed. */
async function refreshCallFacts(tx: Tx, callCondition: string): Promise<{ dirty: DirtyHour[]; count: number }> {
  await tx.execute(sql.raw(`create temp table kpi_fresh_calls on commit drop as ${callFactsFromRaw(callCondition)}`));
  const { rows: dirty } = await tx.execute<{ court_id: string; hour: string }>(
    sql.raw(`select distinct n.court_id, date_trunc('hour', n.arrived_at) as hour from kpi_fresh_calls n left join kpi.call_facts o using (call_id)
      where o.call_id is null or row(o.*)::text is distinct from row(n.*)::text`),
  );
  const { rows: count } = await tx.execute<{ n: string }>(sql.raw(`select count(*) as n from kpi_fresh_calls`));
  await tx.execute(
    sql.raw(`insert into kpi.call_facts select * from kpi_fresh_calls on conflict (call_id) do update set
      court_id = excluded.court_id, arrived_at = excluded.arrived_at, operator_id = excluded.operator_id, category = excluded.category,
      ticket_id = excluded.ticket_id, offered = excluded.offered, answered = excluded.answered, abandoned = excluded.abandoned,
      wait_ms = excluded.wait_ms, handle_ms = excluded.handle_ms, registered = excluded.registered,
      transfer_attempts = excluded.transfer_attempts, transfers_connected = excluded.transfers_connected`),
  );
  await tx.execute(sql`drop table kpi_fresh_calls`);
  return { dirty: dirty.map((d) => ({ courtId: d.court_id, hour: d.hour })), count: Number(count[0]?.n ?? 0) };
}

/**
 * The incremental sync, run as events land: ticket events past the watermark (less a lookback), calls
 * arrived since the newest seen (less a lookback) and the calls of changed tickets; facts recomputed,
 * changed hours' rollups rebuilt. One at a time across processes (advisory lock); safe to rerun.
 */
export async function syncIncremental(db: Db, options: SyncOptions = defaultSyncOptions): Promise<SyncResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${lockKey})`));
    const eventWatermark = (await state(tx, 'ticket_event_id')) ?? 0;
    const callWatermark = (await state(tx, 'call_arrived_ms')) ?? 0;
    const { rows: maxima } = await tx.execute<{ max_event: string | null; max_arrived: string | null }>(
      sql`select (select max(id) from tickets.ticket_events) as max_event, (select (extract(epoch from max(arrived_at)) * 1000)::bigint from telephony.calls where arrived_at >= to_timestamp(${Math.max(0, callWatermark - options.callLookbackMs) / 1000})) as max_arrived`,
    );
    const fromEvent = Math.max(0, eventWatermark - options.eventIdLookback);
    const tickets = await refreshTicketFacts(tx, `e.id > ${intLit(fromEvent)}`);
    const since = new Date(Math.max(0, callWatermark - options.callLookbackMs));
    const linked = tickets.calls.length > 0 ? ` or c.id = any(${uuidArrayLit(tickets.calls)})` : '';
    const calls = await refreshCallFacts(tx, `(c.arrived_at >= ${timeLit(since)}${linked})`);
    const hours = await refreshRollups(tx, [...tickets.dirty, ...calls.dirty]);
    if (maxima[0]?.max_event) await setState(tx, 'ticket_event_id', Number(maxima[0].max_event));
    if (maxima[0]?.max_arrived) await setState(tx, 'call_arrived_ms', Math.max(callWatermark, Number(maxima[0].max_arrived)));
    return { tickets: tickets.count, calls: calls.count, hours };
  });
}

/**
 * The reconciliation: every ticket with an event since `since`, every call arrived since `since` (all of
 * them when null), recomputed from the raw records; then every hour of that span rebuilt. Catches what the
 * incremental sync cannot see (calls spooled longer than its lookback, a settings change).
 */
export async function reconcile(db: Db, since: Date | null): Promise<SyncResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${lockKey})`));
    // A rebuild groups whole months of rows several ways: sort and hash in memory rather than on disk.
    await tx.execute(sql`set local work_mem = '64MB'`);
    const ticketCondition = since ? `e.at >= ${timeLit(since)}` : 'true';
    const tickets = await refreshTicketFacts(tx, ticketCondition);
    const linked = tickets.calls.length > 0 ? ` or c.id = any(${uuidArrayLit(tickets.calls)})` : '';
    const calls = await refreshCallFacts(tx, since ? `(c.arrived_at >= ${timeLit(since)}${linked})` : 'true');
    // Every hour that has facts or rollup rows in the span, whether or not a fact changed (a settings change alters sums).
    const after = since ? timeLit(since) : `'-infinity'::timestamptz`;
    const { rows } = await tx.execute<{ court_id: string; hour: string }>(
      sql.raw(`select distinct court_id, hour from (
        select court_id, date_trunc('hour', arrived_at) as hour from kpi.call_facts where arrived_at >= ${after}
        union select court_id, date_trunc('hour', period_at) from kpi.ticket_facts where period_at >= date_trunc('hour', ${after})
        union select court_id, hour from kpi.rollup_hourly where hour >= date_trunc('hour', ${after})) h`),
    );
    const hours = await refreshRollups(tx, [...tickets.dirty, ...calls.dirty, ...rows.map((r) => ({ courtId: r.court_id, hour: r.hour }))]);
    if (!since) await setState(tx, 'rollup_layout', rollupLayout);
    return { tickets: tickets.count, calls: calls.count, hours };
  });
}

/**
 * The shape of the stored rollups: 2 = hourly and daily rows by key set (migration 0001). Rollups written
 * under an older layout lack rows that queries now read, so the first sync after an upgrade rebuilds all.
 */
export const rollupLayout = 2;

/** Runs a full reconciliation when the stored rollups predate the current layout; true when it ran. */
export async function upgradeRollupLayout(db: Db): Promise<boolean> {
  const { rows } = await db.execute<{ value: string }>(sql`select value from kpi.sync_state where name = 'rollup_layout'`);
  if (rows[0] && Number(rows[0].value) >= rollupLayout) return false;
  await reconcile(db, null);
  return true;
}
