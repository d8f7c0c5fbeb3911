import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client.ts';
import { insertCall } from '../../../kpi/testing/traffic.ts';
import { recordingName, recordingPath, type RecordingKind } from '../names.ts';
import type { RecordingStatus } from '../recordings.sql.ts';

/**
 * An answered call of `daysAgo` with its recording row as the fetch job writes it, and (stored) its file in `dir`:
 * for retention and hold tests that need old recordings without waiting months.
 */
export async function recordedCall(db: Db, o: { courtId: string; dir: string; daysAgo: number; status?: RecordingStatus; kind?: RecordingKind; operatorId?: string | null }): Promise<{ callId: string; path: string; arrivedAt: Date }> {
  const callId = randomUUID();
  const kind = o.kind ?? 'conversation';
  const status = o.status ?? 'stored';
  const arrivedAt = new Date(Date.now() - o.daysAgo * 86_400_000);
  const at = arrivedAt.getTime();
  await insertCall(db, o.courtId, { id: callId, arrivedAt: at, inHours: true, queuedAt: at + 5000, answeredAt: at + 10_000, endedAt: at + 120_000, outcome: 'answered', operatorId: o.operatorId ?? null });
  const path = recordingPath(callId, kind, arrivedAt);
  if (status === 'stored') {
    mkdirSync(dirname(join(o.dir, path)), { recursive: true });
    writeFileSync(join(o.dir, path), Buffer.alloc(64, 1));
  }
  await db.execute(sql`insert into telephony.recordings (call_id, kind, court_id, call_arrived_at, name, status, path, size_bytes, stored_at, removed_at)
    values (${callId}, ${kind}, ${o.courtId}, ${arrivedAt.toISOString()}, ${recordingName(callId, kind)}, ${status}, ${status === 'missing' ? null : path}, ${status === 'missing' ? null : 64},
            ${new Date(at + 130_000).toISOString()}, ${status === 'removed' ? new Date().toISOString() : null})`);
  return { callId, path, arrivedAt };
}
