import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { recordings } from '../recordings/recordings.sql.ts';
import { calls } from '../telephony.sql.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The calls behind a ticket for its page (tickets/ports.ts CallRecords): time, answer, end, outcome, operator and
 * which recordings exist, read from telephony's own tables within one court.
 */
export function linkedCallRecords(db: Db) {
  return {
    async linkedCalls(courtId: string, callIds: string[]) {
      const ids = callIds.filter((id) => uuidPattern.test(id));
      if (ids.length === 0) return [];
      const [rows, recs] = await Promise.all([
        db
          .select({ callId: calls.id, arrivedAt: calls.arrivedAt, answeredAt: calls.answeredAt, endedAt: calls.endedAt, outcome: calls.outcome, answeredBy: calls.answeredBy })
          .from(calls)
          .where(and(inArray(calls.id, ids), eq(calls.courtId, courtId))),
        db.select({ callId: recordings.callId, kind: recordings.kind, status: recordings.status }).from(recordings).where(and(inArray(recordings.callId, ids), eq(recordings.courtId, courtId))),
      ]);
      return rows
        .sort((a, b) => a.arrivedAt.getTime() - b.arrivedAt.getTime())
        .map((r) => ({ ...r, outcome: r.outcome ?? null, recordings: recs.filter((x) => x.callId === r.callId).map(({ kind, status }) => ({ kind, status })) }));
    },
  };
}
