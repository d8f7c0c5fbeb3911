import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { calls } from '../telephony.sql.ts';
import { AriFetchRetry, type AriRecordingFiles } from './ari-files.ts';
import { parseRecordingName, recordingName, recordingPath, type RecordingKind } from './names.ts';
import { recordings } from './recordings.sql.ts';

export interface RecordingsContext {
  db: Db;
  files: AriRecordingFiles;
  /** Absolute TELEPHONY_RECORDINGS_DIR. */
  dir: string;
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

/** Retention: deletes the files of recordings whose call is older than the retention period; the rows stay, marked removed. */
export async function expireRecordings(ctx: RecordingsContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - ctx.retentionDays * 86_400_000);
  let removed = 0;
  for (;;) {
    const due = await ctx.db
      .select({ callId: recordings.callId, kind: recordings.kind, path: recordings.path })
      .from(recordings)
      .where(and(eq(recordings.status, 'stored'), lt(recordings.callArrivedAt, cutoff)))
      .limit(500);
    if (due.length === 0) break;
    for (const r of due) {
      if (r.path) await rm(join(ctx.dir, r.path), { force: true });
      await ctx.db
        .update(recordings)
        .set({ status: 'removed', removedAt: ctx.now() })
        .where(and(eq(recordings.callId, r.callId), eq(recordings.kind, r.kind), eq(recordings.status, 'stored')));
      removed++;
    }
  }
  if (removed > 0) ctx.logger.info({ removed, retentionDays: ctx.retentionDays }, 'expired recordings removed');
  return removed;
}
