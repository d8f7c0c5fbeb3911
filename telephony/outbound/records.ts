import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { AttemptResult, LegKind, LegOutcome, OutboundStatus } from './types.ts';

/** Outbound records the call journal carries to PostgreSQL (kept on disk while the database is away). */
export type OutboundRecord =
  | {
      kind: 'outbound_leg';
      id: string;
      outboundId: string;
      courtId: string;
      attempt: number;
      leg: LegKind;
      channelId: string;
      operatorId: string | null;
      outcome: LegOutcome;
      startedAt: number;
      answeredAt: number | null;
      endedAt: number;
      detail: string | null;
    }
  | {
      kind: 'outbound_status';
      outboundId: string;
      at: number;
      status: OutboundStatus;
      attempts: number;
      nextAttemptAt: number | null;
      result: AttemptResult | null;
      satisfaction: string | null;
      detail: string | null;
    };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Legs are inserted once (their id skips a replay); a status applies only over an older one (`updated_at`), so a
 * batch written twice, or a spool replayed after a restart, never moves a request back. Statuses of requests that
 * have no row are returned (`unknownRequests`) for the journal to report: they were applied to nothing.
 */
export async function writeOutboundRecords(db: Db, records: ReadonlyArray<{ kind: string }>): Promise<{ unknownRequests: string[] }> {
  const legs = records.flatMap((r) => {
    if (r.kind !== 'outbound_leg') return [];
    const l = r as Extract<OutboundRecord, { kind: 'outbound_leg' }>;
    return [
      {
        id: l.id,
        outbound_id: l.outboundId,
        court_id: l.courtId,
        attempt: l.attempt,
        leg: l.leg,
        channel_id: l.channelId,
        operator_id: l.operatorId,
        outcome: l.outcome,
        started_at: iso(l.startedAt),
        answered_at: iso(l.answeredAt),
        ended_at: iso(l.endedAt),
        detail: l.detail,
      },
    ];
  });
  if (legs.length > 0) {
    await db.execute(sql`
      insert into telephony.outbound_attempts (id, outbound_id, court_id, attempt, leg, channel_id, operator_id, outcome, started_at, answered_at, ended_at, detail)
      select id, outbound_id, court_id, attempt, leg::telephony.outbound_leg, channel_id, operator_id, outcome::telephony.outbound_leg_outcome, started_at, answered_at, ended_at, detail
      from jsonb_to_recordset(${JSON.stringify(legs)}::jsonb)
        as r(id uuid, outbound_id uuid, court_id uuid, attempt smallint, leg text, channel_id varchar, operator_id uuid, outcome text,
             started_at timestamptz, answered_at timestamptz, ended_at timestamptz, detail text)
      on conflict do nothing`);
  }
  // In order, one statement each: several changes of one request may share a batch.
  for (const r of records) {
    if (r.kind !== 'outbound_status') continue;
    const s = r as Extract<OutboundRecord, { kind: 'outbound_status' }>;
    const final = s.status === 'completed' || s.status === 'unreachable' || s.status === 'failed';
    await db.execute(sql`
      update telephony.outbound_requests
      set status = ${s.status}::telephony.outbound_status, attempts = ${s.attempts}, next_attempt_at = ${iso(s.nextAttemptAt)}::timestamptz,
          result = ${s.result}::telephony.outbound_result, satisfaction = coalesce(${s.satisfaction}::varchar, satisfaction), detail = ${s.detail},
          finished_at = ${final ? iso(s.at) : null}::timestamptz, updated_at = ${iso(s.at)}::timestamptz
      where id = ${s.outboundId} and updated_at <= ${iso(s.at)}::timestamptz`);
  }
  const statusOf = [...new Set(records.flatMap((r) => (r.kind === 'outbound_status' ? [(r as Extract<OutboundRecord, { kind: 'outbound_status' }>).outboundId] : [])))];
  if (statusOf.length === 0) return { unknownRequests: [] };
  const { rows } = await db.execute<{ id: string }>(sql`
    select r.id::text as id from jsonb_array_elements_text(${JSON.stringify(statusOf)}::jsonb) as r(id)
    where not exists (select 1 from telephony.outbound_requests q where q.id = r.id::uuid)`);
  return { unknownRequests: rows.map((r) => r.id) };
}
