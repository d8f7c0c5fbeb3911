import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { callEvents, calls, presenceEvents } from '../telephony.sql.ts';
import type { JournalRecord } from './records.ts';

/**
 * Writes journal records: calls first, then their events, then closes. No transaction (drizzle's
 * node-postgres transaction leaks its client when BEGIN fails on a dead connection), and none needed:
 * idempotent: every row has the id it was given when it
 * happened, inserts skip ids already there and a close only applies to a call still open, so a batch
 * written twice (a retry after a lost reply, a replay after a restart) lands exactly once.
 */
export async function writeRecords(db: Db, records: JournalRecord[]): Promise<void> {
  const started = records.filter((r) => r.kind === 'call_started');
  const events = records.filter((r) => r.kind === 'call_event');
  const presence = records.filter((r) => r.kind === 'presence');
  const closed = records.filter((r) => r.kind === 'call_closed');
  if (started.length > 0) {
    await db
      .insert(calls)
      .values(
        started.map((r) => ({
          id: r.id,
          courtId: r.courtId,
          channelId: r.channelId,
          callerNumber: r.callerNumber,
          dialled: r.dialled,
          arrivedAt: new Date(r.arrivedAt),
        })),
      )
      .onConflictDoNothing();
  }
  if (events.length > 0) {
    await db
      .insert(callEvents)
      .values(events.map((r) => ({ id: r.id, callId: r.callId, courtId: r.courtId, at: new Date(r.at), seq: r.seq, kind: r.event, operatorId: r.operatorId, data: r.data })))
      .onConflictDoNothing();
  }
  if (presence.length > 0) {
    await db
      .insert(presenceEvents)
      .values(presence.map((r) => ({ id: r.id, operatorId: r.operatorId, courtId: r.courtId, at: new Date(r.at), state: r.state, previous: r.previous, reason: r.reason, callId: r.callId })))
      .onConflictDoNothing();
  }
  for (const r of closed) {
    const s = r.summary;
    await db
      .update(calls)
      .set({
        outcome: s.outcome,
        hangupBy: s.hangupBy,
        endedAt: new Date(r.endedAt),
        inHours: s.inHours,
        skill: s.skill,
        queuedAt: s.queuedAt === null ? null : new Date(s.queuedAt),
        answeredAt: s.answeredAt === null ? null : new Date(s.answeredAt),
        answeredBy: s.answeredBy,
      })
      .where(and(eq(calls.id, r.callId), eq(calls.arrivedAt, new Date(r.arrivedAt)), isNull(calls.outcome)));
  }
}
