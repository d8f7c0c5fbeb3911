import type { JobsOptions, Queue } from 'bullmq';
import type { RecordingKind } from './names.ts';

/** The recordings' BullMQ queue: fetch a closed call's recording, sweep Asterisk for leftovers, expire old files. */
export const recordingsQueue = 'telephony-recordings';
export const recordingJobs = { fetch: 'fetch', sweep: 'sweep', expire: 'expire' } as const;

export interface FetchJob {
  callId: string;
  kind: RecordingKind;
}
export type RecordingJob = FetchJob | Record<string, never>;

/** One fetch per call and kind, whoever queues it (the controller at close, or the sweep). */
export const fetchJobId = (callId: string, kind: RecordingKind) => `fetch-${kind}-${callId}`;

/** Retried with backoff for about nine hours (1 s, 2 s, 4 s, …); the sweep re-runs one that still failed. */
export const fetchJobOptions: JobsOptions = {
  attempts: 15,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 10_000 },
};

export const sweepEveryMs = 10 * 60_000;
export const expireEveryMs = 24 * 3600_000;

/**
 * Queues a fetch (the sweep: the recording is still in Asterisk). One waiting, delayed or running is left alone;
 * one that failed for good is retried; one that finished is run again (the file came after it, or its delete failed).
 */
export async function enqueueFetch(queue: Queue<RecordingJob>, callId: string, kind: RecordingKind): Promise<void> {
  const jobId = fetchJobId(callId, kind);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'failed') return existing.retry('failed');
    if (state !== 'completed') return;
    await existing.remove();
  }
  await queue.add(recordingJobs.fetch, { callId, kind }, { ...fetchJobOptions, jobId });
}
