import { inArray, max, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { callEvents, calls } from '../telephony.sql.ts';

/** A call row as a controller taking over a live caller needs it. */
export interface StoredCall {
  id: string;
  channelId: string;
  courtId: string | null;
  callerNumber: string;
  dialled: string;
  arrivedAt: number;
  /** Null while open. */
  outcome: string | null;
  /** Highest call event sequence number written. */
  lastSeq: number;
}

/** Call rows by id or by channel id, for live channels no saved call knows (Redis lost, or saved too late). */
export async function findCallsForAdoption(db: Db, callIds: string[], channelIds: string[]): Promise<StoredCall[]> {
  if (callIds.length === 0 && channelIds.length === 0) return [];
  const rows = await db
    .select({
      id: calls.id,
      channelId: calls.channelId,
      courtId: calls.courtId,
      callerNumber: calls.callerNumber,
      dialled: calls.dialled,
      arrivedAt: calls.arrivedAt,
      outcome: calls.outcome,
    })
    .from(calls)
    .where(or(callIds.length > 0 ? inArray(calls.id, callIds) : undefined, channelIds.length > 0 ? inArray(calls.channelId, channelIds) : undefined));
  if (rows.length === 0) return [];
  const seqs = await db
    .select({ callId: callEvents.callId, last: max(callEvents.seq) })
    .from(callEvents)
    .where(inArray(callEvents.callId, rows.map((r) => r.id)))
    .groupBy(callEvents.callId);
  const lastSeq = new Map(seqs.map((s) => [s.callId, s.last ?? 0]));
  return rows.map((r) => ({ ...r, arrivedAt: r.arrivedAt.getTime(), lastSeq: lastSeq.get(r.id) ?? 0 }));
}
