import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Tx } from '../tickets/audit.ts';
import { callFactsFromRaw, callTicketsFromRaw, ticketFactsFromRaw } from './facts-sql.ts';
import { intLit, timeLit, uuidArrayLit } from './literals.ts';
import { refreshRollups, type DirtyHour } from './rollup.ts';

export interface SyncOptions {
  /** Ticket event ids re-read behind the watermark (events of transactions that committed out of id order). */
  eventIdLookback: number;
}

export const defaultSyncOptions: SyncOptions = { eventIdLookback: 1000 };

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

const toDirty = (rows: { court_id: string | null; hour: string }[]): DirtyHour[] => rows.map((d) => ({ courtId: d.court_id, hour: d.hour }));
const differs = `o.call_id is null or row(o.*)::text is distinct from row(n.*)::text`;

/**
 * Recomputes the facts of the chosen tickets (`ticketCondition` on events e) and of the `removed` candidates
 * (ticket ids whose events were edited or deleted: a ticket with no event left loses its fact row and links).
 * Returns the hours whose rollups changed and the calls whose links changed.
 */
async function refreshTicketFacts(tx: Tx, ticketCondition: string, removed: string | null, collectCalls = true): Promise<{ dirty: DirtyHour[]; calls: string[]; count: number }> {
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
  const calls = new Set<string>();
  if (removed) {
    // Edited or deleted events: the tickets' links are rebuilt (their old calls refreshed), and a ticket
    // with no event left leaves the facts.
    const { rows: gone } = await tx.execute<{ court_id: string; hour: string }>(
      sql.raw(`delete from kpi.ticket_facts o where o.ticket_id in (${removed}) and not exists (select 1 from kpi_fresh_tickets n where n.ticket_id = o.ticket_id)
        returning o.court_id, date_trunc('hour', o.period_at) as hour`),
    );
    dirty.push(...gone);
    const { rows: unlinked } = await tx.execute<{ call_id: string }>(sql.raw(`delete from kpi.call_tickets l where l.ticket_id in (${removed}) returning l.call_id`));
    if (collectCalls) for (const r of unlinked) calls.add(r.call_id);
  }
  await tx.execute(sql.raw(`insert into kpi.call_tickets (call_id, ticket_id) ${callTicketsFromRaw(`e.ticket_id in (select ticket_id from kpi_fresh_tickets)`)} on conflict do nothing`));
  if (collectCalls && changed.length > 0) {
    const { rows } = await tx.execute<{ call_id: string }>(
      sql.raw(`select distinct l.call_id from kpi.call_tickets l where l.ticket_id = any(${uuidArrayLit(changed.map((c) => c.ticket_id))})`),
    );
    for (const r of rows) calls.add(r.call_id);
  }
  await tx.execute(sql`drop table kpi_fresh_tickets`);
  const callIds = [...calls].filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  return { dirty: toDirty(dirty), calls: callIds, count: Number(count[0]?.n ?? 0) };
}

/**
 * Recomputes the facts of the chosen calls (`callCondition` on calls c). `candidates` (SQL giving call ids, or
 * 'all') are calls whose raw rows changed: one with no raw row left loses its fact row. Returns the hours
 * whose rollups changed — the old hour and the new one when a call moved.
 */
async function refreshCallFacts(tx: Tx, callCondition: string, candidates: string | null): Promise<{ dirty: DirtyHour[]; count: number }> {
  await tx.execute(sql.raw(`create temp table kpi_fresh_calls on commit drop as ${callFactsFromRaw(callCondition)}`));
  const { rows: dirty } = await tx.execute<{ court_id: string | null; hour: string }>(
    sql.raw(`select distinct n.court_id, date_trunc('hour', n.arrived_at) as hour from kpi_fresh_calls n left join kpi.call_facts o using (call_id) where ${differs}
      union select o.court_id, date_trunc('hour', o.arrived_at) from kpi_fresh_calls n join kpi.call_facts o using (call_id) where row(o.*)::text is distinct from row(n.*)::text`),
  );
  const { rows: count } = await tx.execute<{ n: string }>(sql.raw(`select count(*) as n from kpi_fresh_calls`));
  if (candidates) {
    const { rows: gone } = await tx.execute<{ court_id: string | null; hour: string }>(
      sql.raw(`delete from kpi.call_facts o where ${candidates === 'all' ? 'true' : `o.call_id in (${candidates})`}
        and not exists (select 1 from kpi_fresh_calls n where n.call_id = o.call_id) returning o.court_id, date_trunc('hour', o.arrived_at) as hour`),
    );
    dirty.push(...gone);
  }
  await tx.execute(
    sql.raw(`insert into kpi.call_facts select * from kpi_fresh_calls on conflict (call_id) do update set
      court_id = excluded.court_id, arrived_at = excluded.arrived_at, operator_id = excluded.operator_id, category = excluded.category,
      ticket_id = excluded.ticket_id, offered = excluded.offered, answered = excluded.answered, abandoned = excluded.abandoned,
      wait_ms = excluded.wait_ms, handle_ms = excluded.handle_ms, registered = excluded.registered,
      transfer_attempts = excluded.transfer_attempts, transfers_connected = excluded.transfers_connected`),
  );
  await tx.execute(sql`drop table kpi_fresh_calls`);
  return { dirty: toDirty(dirty), count: Number(count[0]?.n ?? 0) };
}

/**
 * Takes the change feed (kpi.raw_changes, filled by triggers on the raw tables) into a temp table
 * `kpi_changes (kind, key)`; returns whether a TRUNCATE asked for every call or every ticket. Only rows
 * this statement sees are taken, and a change row commits with the raw row it notes, so every raw row
 * noted is visible to the refresh that follows.
 */
async function takeChanges(tx: Tx): Promise<{ calls: 'all' | boolean; tickets: 'all' | boolean }> {
  await tx.execute(sql`create temp table kpi_changes (kind varchar(8), key uuid) on commit drop`);
  await tx.execute(sql`with d as (delete from kpi.raw_changes returning kind, key) insert into kpi_changes select distinct kind, key from d`);
  await tx.execute(sql`analyze kpi_changes`);
  const { rows } = await tx.execute<{ kind: string; any_null: boolean }>(sql`select kind, bool_or(key is null) as any_null from kpi_changes group by kind`);
  const of = (kind: string) => {
    const row = rows.find((r) => r.kind === kind);
    return row ? (row.any_null ? ('all' as const) : true) : false;
  };
  return { calls: of('call'), tickets: of('ticket') };
}

const changedKeys = (kind: string) => `select key from kpi_changes where kind = '${kind}' and key is not null`;

/**
 * The incremental sync, run as records land: ticket events past the watermark (less a lookback), and every
 * call and ticket the change feed names (inserted, updated or deleted raw rows, whatever their times), and
 * the calls of changed tickets; facts recomputed, changed hours' rollups rebuilt. One at a time across
 * processes (advisory lock); safe to rerun.
 */
export async function syncIncremental(db: Db, options: SyncOptions = defaultSyncOptions): Promise<SyncResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${lockKey})`));
    const eventWatermark = (await state(tx, 'ticket_event_id')) ?? 0;
    const { rows: maxima } = await tx.execute<{ max_event: string | null }>(sql`select max(id) as max_event from tickets.ticket_events`);
    const changes = await takeChanges(tx);
    const fromEvent = Math.max(0, eventWatermark - options.eventIdLookback);
    const ticketCondition =
      changes.tickets === 'all' ? 'true' : changes.tickets ? `(e.id > ${intLit(fromEvent)} or e.ticket_id in (${changedKeys('ticket')}))` : `e.id > ${intLit(fromEvent)}`;
    const tickets = await refreshTicketFacts(tx, ticketCondition, changes.tickets === 'all' ? 'select ticket_id from kpi.ticket_facts' : changes.tickets ? changedKeys('ticket') : null);
    const linked = tickets.calls.length > 0 ? `c.id = any(${uuidArrayLit(tickets.calls)})` : null;
    const noted = changes.calls === true ? `c.id in (${changedKeys('call')})` : null;
    const callCondition = changes.calls === 'all' ? 'true' : [noted, linked].filter(Boolean).join(' or ') || 'false';
    const calls = await refreshCallFacts(tx, `(${callCondition})`, changes.calls === 'all' ? 'all' : changes.calls ? changedKeys('call') : null);
    const hours = await refreshRollups(tx, [...tickets.dirty, ...calls.dirty]);
    if (maxima[0]?.max_event) await setState(tx, 'ticket_event_id', Number(maxima[0].max_event));
    return { tickets: tickets.count, calls: calls.count, hours };
  });
}

/**
 * The reconciliation: every ticket with an event since `since`, every call arrived since `since` (all of
 * them when null — then facts without raw rows are dropped too), recomputed from the raw records; then every
 * hour of that span rebuilt. The safety net: the change feed makes the sync follow every raw row as it lands;
 * this rebuilds after a settings change, and repairs what a disabled trigger or an edited cache hid.
 */
export async function reconcile(db: Db, since: Date | null): Promise<SyncResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${lockKey})`));
    // A rebuild groups whole months of rows several ways: sort and hash in memory rather than on disk.
    await tx.execute(sql`set local work_mem = '64MB'`);
    const ticketCondition = since ? `e.at >= ${timeLit(since)}` : 'true';
    const tickets = await refreshTicketFacts(tx, ticketCondition, since ? null : 'select ticket_id from kpi.ticket_facts', since !== null);
    const linked = tickets.calls.length > 0 ? ` or c.id = any(${uuidArrayLit(tickets.calls)})` : '';
    const calls = await refreshCallFacts(tx, since ? `(c.arrived_at >= ${timeLit(since)}${linked})` : 'true', since ? `select call_id from kpi.call_facts where arrived_at >= ${timeLit(since)}` : 'all');
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
 * The shape of the stored rollups: 2 = hourly and daily rows by key set (migration 0001); 3 = daily rows of
 * every key set, three and four keys too. Rollups written under an older layout lack rows that queries now
 * read, so the first sync after an upgrade rebuilds all.
 */
export const rollupLayout = 3;

/** Runs a full reconciliation when the stored rollups predate the current layout; true when it ran. */
export async function upgradeRollupLayout(db: Db): Promise<boolean> {
  const { rows } = await db.execute<{ value: string }>(sql`select value from kpi.sync_state where name = 'rollup_layout'`);
  if (rows[0] && Number(rows[0].value) >= rollupLayout) return false;
  await reconcile(db, null);
  return true;
}
