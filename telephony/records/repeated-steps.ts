import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { JournalRecord } from './records.ts';

type CallEvent = Extract<JournalRecord, { kind: 'call_event' }>;
const stepKey = (e: { callId: string; seq: number; event: string }) => `${e.callId}/${e.seq}/${e.event}`;

/**
 * A controller that takes a call over resumes it from the state saved in Redis, which lags the journal by a few
 * milliseconds: killed in that gap, the last step (an answer, a hangup) is logged again by the next controller,
 * under the same sequence number but a new id. Such a repeat is the same step: the `n`-th event of a call, of
 * the same kind. Events logged after a takeover (`takeover: true`) are checked against what the database has;
 * any event is checked against the batch. The first one stands; the repeats are left out and counted.
 */
export async function dropRepeatedSteps(db: Db, records: JournalRecord[]): Promise<{ records: JournalRecord[]; repeats: number }> {
  const taken = records.filter((r): r is CallEvent => r.kind === 'call_event' && r.takeover === true);
  const seen = new Set<string>();
  if (taken.length > 0) {
    const callIds = [...new Set(taken.map((e) => e.callId))];
    const { rows } = await db.execute<{ id: string; call_id: string; seq: number; kind: string }>(
      sql`select id::text, call_id::text, seq, kind::text from telephony.call_events where call_id = any(${`{${callIds.join(',')}}`}::uuid[])`,
    );
    // A record written again (a retry, a replay) finds its own row: that is not a repeat, and its insert is a no-op.
    const batchIds = new Set(taken.map((e) => e.id));
    for (const row of rows) if (!batchIds.has(row.id)) seen.add(stepKey({ callId: row.call_id, seq: row.seq, event: row.kind }));
  }
  let repeats = 0;
  const kept = records.filter((r) => {
    if (r.kind !== 'call_event') return true;
    const key = stepKey(r);
    if (!seen.has(key)) {
      seen.add(key);
      return true;
    }
    repeats += 1;
    return false;
  });
  return { records: repeats === 0 ? records : kept, repeats };
}
