import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';

export const queueLengthSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    /** Cut at this moment (now, or the span's end when earlier): later buckets are not listed. */
    asOf: z.string(),
    stepMinutes: z.number().int(),
    /** Per bucket (start in China time, YYYY-MM-DDTHH:mm): the most callers waiting in the queue at once. */
    buckets: z.array(z.object({ bucket: z.string(), waiting: z.number().int() })),
  })
  .meta({ id: 'KpiQueueLength' });
export type QueueLength = z.infer<typeof queueLengthSchema>;

const chinaOffsetMs = 8 * 3_600_000;
const bucketName = (ms: number) => new Date(ms + chinaOffsetMs).toISOString().slice(0, 16);

/**
 * The queue's length over a span (the wallboard's line): each call waits from `queued_at` until it is answered or
 * ends (`answered_at`, else `ended_at`; a call still open is still waiting). The level is replayed from those
 * edges and, per bucket, the most callers waiting at once is kept (the level at the bucket's start included), so
 * a short burst between two samples is not lost. Calls queued up to a day before the span are read, for the level
 * it starts with.
 */
export async function queueLength(db: Db, courtId: string, from: Date, to: Date, stepMinutes: number, now = new Date()): Promise<QueueLength> {
  const end = new Date(Math.min(to.getTime(), now.getTime()));
  const stepMs = stepMinutes * 60_000;
  const { rows } = await db.execute<{ queued_at: Date; left_at: Date | null }>(
    sql`select queued_at, coalesce(answered_at, ended_at) as left_at from telephony.calls
        where court_id = ${courtId} and arrived_at >= ${new Date(from.getTime() - 86_400_000).toISOString()}::timestamptz and arrived_at < ${end.toISOString()}::timestamptz
          and queued_at is not null and queued_at < ${end.toISOString()}::timestamptz
          and (coalesce(answered_at, ended_at) is null or coalesce(answered_at, ended_at) > ${from.toISOString()}::timestamptz)`,
  );
  // Edges in time order; at one instant a leave is counted before a join (two callers swapping are not two waiting).
  const edges: [number, number][] = [];
  for (const r of rows) {
    edges.push([new Date(r.queued_at).getTime(), 1]);
    if (r.left_at) edges.push([new Date(r.left_at).getTime(), -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const buckets: QueueLength['buckets'] = [];
  let level = 0;
  let i = 0;
  for (let start = from.getTime(); start < end.getTime(); start += stepMs) {
    while (i < edges.length && edges[i]![0] < start) level += edges[i++]![1];
    let most = level;
    const stop = Math.min(start + stepMs, end.getTime());
    while (i < edges.length && edges[i]![0] < stop) {
      level += edges[i++]![1];
      most = Math.max(most, level);
    }
    buckets.push({ bucket: bucketName(start), waiting: Math.max(0, most) });
  }
  return { from: from.toISOString(), to: to.toISOString(), asOf: end.toISOString(), stepMinutes, buckets };
}
