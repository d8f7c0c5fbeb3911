import type { Queue } from 'bullmq';
import type { Logger } from '../../platform/logger.ts';
import type { RecordingKind } from './names.ts';
import { fetchJobId, fetchJobOptions, recordingJobs, type RecordingJob } from './queue.ts';

/** What the call executor tells the recordings part (telephony/calls/executor.ts). */
export interface RecordingHooks {
  /** The call closed: fetch its recordings (the conversation if anyone talked with the caller, a message if one was left). */
  callClosed(call: { callId: string; talked: boolean; messageName?: string | undefined }): void;
}

/** Queues the fetch jobs; if Redis is away the periodic sweep finds the recordings in Asterisk later. */
export function recordingHooks(queue: Queue<RecordingJob>, logger: Logger): RecordingHooks {
  const enqueue = (callId: string, kind: RecordingKind) =>
    void queue.add(recordingJobs.fetch, { callId, kind }, { ...fetchJobOptions, jobId: fetchJobId(callId, kind) }).catch((err: Error) => {
      logger.warn({ callId, kind, err: err.message }, 'could not queue the recording fetch (the sweep will find it)');
    });
  return {
    callClosed({ callId, talked, messageName }) {
      if (talked) enqueue(callId, 'conversation');
      if (messageName) enqueue(callId, 'message');
    },
  };
}
