import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { executePrepared } from '../../platform/db/prepared.ts';
import { writeOutboundRecords } from '../outbound/records.ts';
import type { JournalRecord } from './records.ts';
import type { CallSealer, SealRow } from './seal.ts';
import { recordLeaves } from './seal-leaves.ts';
import { dropRepeatedSteps } from './repeated-steps.ts';

export interface WriteResult {
  /** Calls whose row was missing at their close and was re-created from the close. */
  repaired: string[];
  /** Steps logged again after a takeover and left out (repeated-steps.ts). */
  repeats: number;
  /** Records that found no row to apply to: closes of calls with no row (and nothing to re-create it from), statuses of unknown callbacks. */
  unmatched: { closes: string[]; outboundStatuses: string[] };
}

/**
 * Writes a batch of journal records. The calls, their closes, events, presence and transfer legs go in one
 * statement: a data-modifying CTE per kind, each a single JSON parameter expanded by jsonb_to_recordset (building a
 * multi-row insert value by value in drizzle cost more CPU than the rest of a call's handling). That is one round
 * trip to PostgreSQL per batch instead of five, and the batch lands whole or not at all without the three round
 * trips of a transaction. A batch that carries outbound calls' records (outbound/records.ts, their own statements)
 * is written in one transaction, so that it too lands whole.
 * Idempotent: every row has the id it was given when it happened, inserts skip ids already there and a close
 * only applies to a call still open, so a batch written twice (a retry after a lost reply, a replay after a
 * restart) lands exactly once.
 * A close that finds no row (its start was lost, e.g. by a controller before the write-ahead log) re-creates the
 * row from what the close carries, and the call is named in `repaired` so the caller reports it.
 * With a sealer, the same statement inserts the batch's seals (seal.ts), only when the batch changed something:
 * a batch written again adds no seal. Rows and their seals land together or not at all: a seal number already
 * taken (a retry after a lost reply whose seal is in) fails the whole statement, and the batch is written again
 * with seals after the ones stored (`writeSealed`).
 */
export async function writeRecords(db: Db, records: JournalRecord[], sealer?: CallSealer): Promise<WriteResult> {
  return sealer ? sealer.exclusive(() => writeSealed(db, records, sealer)) : write(db, records);
}

/** Tries before a batch whose seal numbers stay taken is left to the journal's retry. */
const sealTries = 3;

async function writeSealed(db: Db, records: JournalRecord[], sealer: CallSealer): Promise<WriteResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write(db, records, sealer);
    } catch (err) {
      if (!isSealTaken(err)) throw err;
      // Not the database's error: a refusal (class 23) would set the records aside (refused-records.ts).
      if (attempt >= sealTries) throw new Error(`call-record seal numbers of stream ${sealer.stream} are still taken after ${attempt} tries: the batch is retried later`);
      await sealer.resync(db);
    }
  }
}

/** A unique violation of record_seals' key: the seal's number is in use. */
function isSealTaken(err: unknown): boolean {
  for (let e = err as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    if (e.code === '23505' && e.constraint === 'record_seals_stream_court_id_seq_pk') return true;
  }
  return false;
}

async function write(db: Db, batch: JournalRecord[], sealer?: CallSealer): Promise<WriteResult> {
  const { records, repeats } = await dropRepeatedSteps(db, batch);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const started = new Map<string, Record<string, unknown>>();
  for (const r of records) {
    if (r.kind === 'call_started') started.set(r.id, { id: r.id, court_id: r.courtId, channel_id: r.channelId, caller_number: r.callerNumber, dialled: r.dialled, arrived_at: iso(r.arrivedAt) });
  }
  const events = records.flatMap((r) =>
    r.kind === 'call_event' ? [{ id: r.id, call_id: r.callId, court_id: r.courtId, at: iso(r.at), seq: r.seq, kind: r.event, operator_id: r.operatorId, data: r.data }] : [],
  );
  const presence = records.flatMap((r) =>
    r.kind === 'presence' ? [{ id: r.id, operator_id: r.operatorId, court_id: r.courtId, at: iso(r.at), state: r.state, previous: r.previous, reason: r.reason, call_id: r.callId }] : [],
  );
  // A leg's later records fill in what its first lacked; the first outcome and times stand. Folded per leg
  // here, since one statement cannot touch a row twice.
  const byLeg = new Map<string, Extract<JournalRecord, { kind: 'transfer_leg' }>>();
  for (const r of records) {
    if (r.kind !== 'transfer_leg') continue;
    const key = `${r.callId}/${r.seq}`;
    const seen = byLeg.get(key);
    byLeg.set(key, seen ? { ...seen, answeredAt: seen.answeredAt ?? r.answeredAt, endedAt: seen.endedAt ?? r.endedAt, outcome: seen.outcome ?? r.outcome } : r);
  }
  const legs = [...byLeg.values()].map((r) => ({
    call_id: r.callId,
    seq: r.seq,
    court_id: r.courtId,
    mode: r.mode,
    target_kind: r.targetKind,
    target_user_id: r.targetUserId,
    target_department_id: r.targetDepartmentId,
    target_label: r.targetLabel,
    dial: r.dial,
    requested_by: r.requestedBy,
    case_number: r.caseNumber,
    started_at: iso(r.startedAt),
    answered_at: iso(r.answeredAt),
    ended_at: iso(r.endedAt),
    outcome: r.outcome,
  }));
  // A statement's parts all see the tables as they were before it: a call that starts and closes in this batch
  // is inserted closed, since the close's update would not find the row its sibling inserts.
  const closedOnly: Array<Record<string, unknown>> = [];
  const closedIds = new Set<string>();
  /** Closes written as upserts, with no start in this batch: a row they insert was missing. */
  const closeOnly = new Set<string>();
  for (const r of records) {
    if (r.kind !== 'call_closed') continue;
    const s = r.summary;
    const closing = {
      outcome: s.outcome,
      hangup_by: s.hangupBy,
      ended_at: iso(r.endedAt),
      in_hours: s.inHours,
      skill: s.skill,
      queued_at: iso(s.queuedAt),
      answered_at: iso(s.answeredAt),
      answered_by: s.answeredBy,
    };
    // The first close of a call stands, as in the database (a close applies only to a call still open).
    if (closedIds.has(r.callId)) continue;
    closedIds.add(r.callId);
    const opened = started.get(r.callId);
    if (opened) started.set(r.callId, { ...opened, ...closing });
    else if (r.row) {
      // Inserted if the row is missing (a repair), otherwise the same close as below.
      const row = r.row;
      started.set(r.callId, { id: r.callId, court_id: row.courtId, channel_id: row.channelId, caller_number: row.callerNumber, dialled: row.dialled, arrived_at: iso(r.arrivedAt), ...closing });
      closeOnly.add(r.callId);
    } else closedOnly.push({ call_id: r.callId, arrived_at: iso(r.arrivedAt), ...closing });
  }
  const seals = sealer?.prepare(recordLeaves(records));
  const sealRows = seals?.rows ?? [];
  const outLegs = records.flatMap((r) => (r.kind === 'outbound_leg' ? [{ id: r.id, started_at: iso(r.startedAt) }] : []));
  const outStatus = records.flatMap((r) => (r.kind === 'outbound_status' ? [{ id: r.outboundId, at: iso(r.at) }] : []));
  // Read twice by the statement: the closes to apply, and those that found no row (reported).
  const closedOnlyJson = JSON.stringify(closedOnly);
  const statement = async (db: Db): Promise<Array<{ k: string; id: string | null }>> => {
    if (started.size + closedOnly.length + events.length + presence.length + legs.length + sealRows.length === 0) return [];
    return executePrepared<{ k: string; id: string | null }>(db, 'journal-batch', sql`
      with new_calls as (
        insert into telephony.calls as c (id, court_id, channel_id, caller_number, dialled, arrived_at,
          outcome, hangup_by, ended_at, in_hours, skill, queued_at, answered_at, answered_by)
        select id, court_id, channel_id, caller_number, dialled, arrived_at, outcome::telephony.call_outcome,
          hangup_by::telephony.hangup_party, ended_at, in_hours, skill, queued_at, answered_at, answered_by
        from jsonb_to_recordset(${JSON.stringify([...started.values()])}::jsonb)
          as r(id uuid, court_id uuid, channel_id varchar, caller_number varchar, dialled varchar, arrived_at timestamptz,
               outcome text, hangup_by text, ended_at timestamptz, in_hours boolean, skill varchar, queued_at timestamptz,
               answered_at timestamptz, answered_by uuid)
        -- Already there (a batch written again): only a close it still lacks is applied.
        on conflict (id, arrived_at) do update set
          court_id = coalesce(c.court_id, excluded.court_id), outcome = excluded.outcome, hangup_by = excluded.hangup_by, ended_at = excluded.ended_at, in_hours = excluded.in_hours,
          skill = excluded.skill, queued_at = excluded.queued_at, answered_at = excluded.answered_at, answered_by = excluded.answered_by
        where c.outcome is null and excluded.outcome is not null
        returning 1
      ), closed_calls as (
        update telephony.calls c
        set outcome = r.outcome::telephony.call_outcome, hangup_by = r.hangup_by::telephony.hangup_party, ended_at = r.ended_at,
            in_hours = r.in_hours, skill = r.skill, queued_at = r.queued_at, answered_at = r.answered_at, answered_by = r.answered_by
        from jsonb_to_recordset(${closedOnlyJson}::jsonb)
          as r(call_id uuid, arrived_at timestamptz, outcome text, hangup_by text, ended_at timestamptz, in_hours boolean,
               skill varchar, queued_at timestamptz, answered_at timestamptz, answered_by uuid)
        where c.id = r.call_id and c.arrived_at = r.arrived_at and c.outcome is null
        returning 1
      ), new_events as (
        insert into telephony.call_events (id, call_id, court_id, at, seq, kind, operator_id, data)
        select id, call_id, court_id, at, seq, kind::telephony.call_event_kind, operator_id, data
        from jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
          as r(id uuid, call_id uuid, court_id uuid, at timestamptz, seq integer, kind text, operator_id uuid, data jsonb)
        on conflict do nothing
        returning 1
      ), new_presence as (
        insert into telephony.presence_events (id, operator_id, court_id, at, state, previous, reason, call_id)
        select id, operator_id, court_id, at, state::telephony.presence_state, previous::telephony.presence_state, reason, call_id
        from jsonb_to_recordset(${JSON.stringify(presence)}::jsonb)
          as r(id uuid, operator_id uuid, court_id uuid, at timestamptz, state text, previous text, reason text, call_id uuid)
        on conflict do nothing
      ), new_legs as (
        insert into telephony.transfer_legs as t (call_id, seq, court_id, mode, target_kind, target_user_id, target_department_id,
          target_label, dial, requested_by, case_number, started_at, answered_at, ended_at, outcome)
        select call_id, seq, court_id, mode::telephony.transfer_mode, target_kind, target_user_id, target_department_id, target_label,
          dial, requested_by, case_number, started_at, answered_at, ended_at, outcome::telephony.transfer_outcome
        from jsonb_to_recordset(${JSON.stringify(legs)}::jsonb)
          as r(call_id uuid, seq smallint, court_id uuid, mode text, target_kind text, target_user_id uuid, target_department_id uuid,
               target_label text, dial text, requested_by uuid, case_number text, started_at timestamptz, answered_at timestamptz,
               ended_at timestamptz, outcome text)
        on conflict (call_id, seq) do update set
          answered_at = coalesce(t.answered_at, excluded.answered_at),
          ended_at = coalesce(t.ended_at, excluded.ended_at),
          outcome = coalesce(t.outcome, excluded.outcome)
        where (t.answered_at is null and excluded.answered_at is not null) or (t.ended_at is null and excluded.ended_at is not null)
          or (t.outcome is null and excluded.outcome is not null)
        returning 1
      ), seals as (
        -- The batch's seals, when it changes something here or in the outbound tables (written next, in the
        -- same transaction): the outbound part is judged on the tables as they are before its statements. No
        -- ON CONFLICT: a seal number already taken fails the statement, so no row lands without its seal.
        insert into telephony.record_seals (stream, court_id, seq, prev, root, leaves, hash, seal)
        select stream, court_id, seq, prev, root, leaves, hash, seal
        from jsonb_to_recordset(${JSON.stringify(sealRows)}::jsonb)
          as s(stream uuid, court_id uuid, seq integer, prev varchar, root varchar, leaves jsonb, hash varchar, seal text)
        where exists (select 1 from new_calls) or exists (select 1 from closed_calls) or exists (select 1 from new_events)
          or exists (select 1 from new_legs)
          or exists (select 1 from jsonb_to_recordset(${JSON.stringify(outLegs)}::jsonb) as o(id uuid, started_at timestamptz)
                     where not exists (select 1 from telephony.outbound_attempts a where a.id = o.id and a.started_at = o.started_at))
          or exists (select 1 from jsonb_to_recordset(${JSON.stringify(outStatus)}::jsonb) as o(id uuid, at timestamptz)
                     where exists (select 1 from telephony.outbound_requests q where q.id = o.id and q.updated_at < o.at))
        returning court_id
      )
      -- Every part sees the tables as before the statement: a close whose row is not there yet is a repair.
      select 'repaired' as k, r.id::text as id from jsonb_to_recordset(${JSON.stringify([...closeOnly].map((id) => ({ id, arrived_at: started.get(id)!.arrived_at })))}::jsonb)
        as r(id uuid, arrived_at timestamptz)
      where not exists (select 1 from telephony.calls c where c.id = r.id and c.arrived_at = r.arrived_at)
      -- A close with no row and nothing to re-create it from (an older controller's record): applied to nothing.
      union all select 'unmatched_close', r.call_id::text from jsonb_to_recordset(${closedOnlyJson}::jsonb) as r(call_id uuid, arrived_at timestamptz)
      where not exists (select 1 from telephony.calls c where c.id = r.call_id and c.arrived_at = r.arrived_at)
      union all select 'inserted', court_id::text from seals`);
  };
  const outbound = outLegs.length + outStatus.length > 0;
  let outboundStatuses: string[] = [];
  const result = outbound
    ? await db.transaction(async (tx) => {
        const rows = await statement(tx as unknown as Db);
        outboundStatuses = (await writeOutboundRecords(tx as unknown as Db, records)).unknownRequests;
        return rows;
      })
    : await statement(db);
  if (result.some((r) => r.k === 'inserted')) seals?.commit();
  const idsOf = (k: string) => result.flatMap((r) => (r.k === k && r.id ? [r.id] : []));
  return { repaired: idsOf('repaired'), repeats, unmatched: { closes: idsOf('unmatched_close'), outboundStatuses } };
}

/** Inserts prepared seals on their own (`npm run seals:adopt`; a batch's own seals go in the batch's statement). */
export async function insertSealRows(db: Db, rows: SealRow[]): Promise<void> {
  await db.execute(sql`
    insert into telephony.record_seals (stream, court_id, seq, prev, root, leaves, hash, seal)
    select stream, court_id, seq, prev, root, leaves, hash, seal
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as s(stream uuid, court_id uuid, seq integer, prev varchar, root varchar, leaves jsonb, hash varchar, seal text)`);
}
