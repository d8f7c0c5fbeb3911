import { and, desc, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { CallerHistoryEntry } from '../realtime-events.ts';
import { calls } from '../telephony.sql.ts';

/** A caller's latest calls to the court (newest first), for the operator's screen pop. */
export async function callerHistory(db: Db, callerNumber: string, courtId: string | null, limit = 20): Promise<CallerHistoryEntry[]> {
  const rows = await db
    .select({ callId: calls.id, arrivedAt: calls.arrivedAt, outcome: calls.outcome, skill: calls.skill, answeredBy: calls.answeredBy })
    .from(calls)
    .where(and(eq(calls.callerNumber, callerNumber), courtId ? or(eq(calls.courtId, courtId), isNull(calls.courtId)) : undefined))
    .orderBy(desc(calls.arrivedAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, arrivedAt: r.arrivedAt.toISOString() }));
}
