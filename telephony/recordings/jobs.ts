import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { calls } from '../telephony.sql.ts';
import { AriFetchRetry, type AriRecordingFiles } from './ari-files.ts';
import { parseRecordingName, recordingName, recordingPath, type RecordingKind } from './names.ts';
import { recordings } from './recordings.sql.ts';
import { heldSql } from './retention.ts';

export interface RecordingsContext {
  db: Db;
  files: AriRecordingFiles;
  /** Absolute TELEPHONY_RECORDINGS_DIR. */
  dir: string;
  /** The deployment's TELEPHONY_RECORDING_RETENTION_DAYS: a court without its own setting keeps recordings this long. */
  retentionDays: number;
  logger: Logger;
  now(): Date;
}

export type FetchOutcome = 'stored' | 'already_stored' | 'missing';

/**
 * Brings a closed call's recording from Asterisk into the recordings directory, links it to the call, then
 * deletes Asterisk's copy. Idempotent: a rerun after any step (a crash, a lost reply, a duplicate job) finds the
 * row and only deletes a copy still left in Asterisk. Anything that may pass (ARI unreachable, the call row not
 * written yet, Asterisk still writing the file) throws, so the job is retried with backoff.
 */
export async function fetchRecording(ctx: RecordingsContext, job: { callId: string; kind: RecordingKind }): Promise<FetchOutcome> {
  const name = recordingName(job.callId, job.kind);
  const [existing] = await ctx.db.select({ status: recordings.status }).from(recordings).where(and(eq(recordings.callId, job.callId), eq(recordings.kind, job.kind)));
  if (existing && existing.status !== 'missing') {
    await ctx.files.deleteStored(name);
    return 'already_stored';
  }
  const [call] = await ctx.db.select({ courtId: calls.courtId, arrivedAt: calls.arrivedAt }).from(calls).where(eq(calls.id, job.callId)).limit(1);
  // The call's row is written through the journal, which spools while PostgreSQL is away: try again later.
  if (!call) throw new AriFetchRetry(`call ${job.callId} has no row yet`);
  if (await ctx.files.isLive(name)) throw new AriFetchRetry(`recording ${name} is still being written`);
  const path = recordingPath(job.callId, job.kind, call.arrivedAt);
  const size = await ctx.files.download(name, join(ctx.dir, path));
  const row = { callId: job.callId, kind: job.kind, courtId: call.courtId, callArrivedAt: call.arrivedAt, name, storedAt: ctx.now() };
  if (size === null) {
    await ctx.db.insert(recordings).values({ ...row, status: 'missing' }).onConflictDoNothing();
    ctx.logger.warn({ callId: job.callId, kind: job.kind }, 'Asterisk has no recording for this call');
    return 'missing';
  }
  const stored = { status: 'stored' as const, path, sizeBytes: size, storedAt: row.storedAt, removedAt: null };
  await ctx.db.insert(recordings).values({ ...row, ...stored }).onConflictDoUpdate({ target: [recordings.callId, recordings.kind], set: stored });
  await ctx.files.deleteStored(name);
  return 'stored';
}

/**
 * The backstop for fetches that were never queued (Redis away when the call closed, the controller killed
 * before it queued them): every hotline recording Asterisk still holds whose call has closed gets a fetch.
 */
export async function sweepStored(ctx: RecordingsContext, enqueue: (callId: string, kind: RecordingKind) => Promise<void>): Promise<number> {
  const ours = (await ctx.files.listStored()).flatMap((name) => parseRecordingName(name) ?? []);
  let queued = 0;
  for (let i = 0; i < ours.length; i += 500) {
    const batch = ours.slice(i, i + 500);
    const closed = await ctx.db
      .select({ id: calls.id })
      .from(calls)
      .where(and(inArray(calls.id, [...new Set(batch.map((r) => r.callId))]), isNotNull(calls.outcome)));
    const closedIds = new Set(closed.map((c) => c.id));
    for (const r of batch) {
      if (!closedIds.has(r.callId)) continue;
      await enqueue(r.callId, r.kind);
      queued++;
    }
  }
  if (queued > 0) ctx.logger.info({ queued }, 'recordings left in Asterisk queued for fetching');
  return queued;
}

/**
 * Retention: deletes the files of recordings whose call is older than its court's retention (the deployment's
 * `retentionDays` for a court that has not set one); the rows stay, marked removed. A recording under a legal hold is
 * never removed: each batch locks its rows (skipping any a hold is being placed on), checks the holds again after the
 * lock, marks them removed and deletes their files only after that commits (a failed commit leaves rows and files
 * stored alike); a hold placed meanwhile waits on the row lock, then finds the recording removed.
 */
export async function expireRecordings(ctx: RecordingsContext): Promise<number> {
  let removed = 0;
  for (;;) {
    const batch = await ctx.db.transaction(async (tx) => {
      const now = ctx.now();
      const { rows: due } = await tx.execute<{ call_id: string; kind: RecordingKind; path: string | null }>(sql`
        select r.call_id::text as call_id, r.kind::text as kind, r.path from telephony.recordings r
        left join telephony.recording_retention s on s.court_id = r.court_id
        where r.status = 'stored' and r.call_arrived_at < ${now.toISOString()}::timestamptz - make_interval(days => coalesce(s.days, ${ctx.retentionDays})::int)
          -- The shortest retention of any court bounds the index scan when nothing is due.
          and r.call_arrived_at < ${now.toISOString()}::timestamptz - make_interval(days => least(${ctx.retentionDays}::int, (select min(days) from telephony.recording_retention))::int)
          and not ${heldSql}
        order by r.call_arrived_at limit 200
        for update of r skip locked`);
      if (due.length === 0) return null;
      // Holds committed since the select's snapshot, by a placement that held the row until it committed.
      const { rows: held } = await tx.execute<{ call_id: string; kind: string }>(sql`
        select h.call_id::text as call_id, h.kind::text as kind from telephony.recording_holds h
        where h.lifted_at is null and h.call_id in (${sql.join(
          due.map((r) => sql`${r.call_id}::uuid`),
          sql`, `,
        )})`);
      const isHeld = new Set(held.map((h) => `${h.call_id}/${h.kind}`));
      const paths: string[] = [];
      for (const r of due) {
        if (isHeld.has(`${r.call_id}/${r.kind}`)) continue;
        await tx.update(recordings).set({ status: 'removed', removedAt: now }).where(and(eq(recordings.callId, r.call_id), eq(recordings.kind, r.kind), eq(recordings.status, 'stored')));
        paths.push(r.path ?? '');
      }
      return paths;
    });
    // Rows found held on the second look drop out of the next select, so this ends.
    if (batch === null) break;
    for (const path of batch) {
      if (!path) continue;
      // The row is removed already: a file that will not go is reported (and left for an admin), never hidden.
      await rm(join(ctx.dir, path), { force: true }).catch((err: Error) => ctx.logger.error({ path, err: err.message }, 'expired recording marked removed but its file could not be deleted'));
    }
    removed += batch.length;
  }
  if (removed > 0) ctx.logger.info({ removed, defaultRetentionDays: ctx.retentionDays }, 'expired recordings removed');
  return removed;
}
