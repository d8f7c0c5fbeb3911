import { keepScheduling } from '../../platform/job-schedulers.ts';
import { isAbsolute, join, resolve } from 'node:path';
import type { Job, Queue } from 'bullmq';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { serviceOf, type Deps } from '../../platform/deps.ts';
import { registerCallDetailRoutes } from '../call-detail.routes.ts';
import { registerRecordingHoldRoutes } from '../recording-holds.routes.ts';
import { registerRecordingRetentionRoutes } from '../recording-retention.routes.ts';
import { registerRecordingRoutes } from '../recording.routes.ts';
import { AriRecordingFiles } from './ari-files.ts';
import { recordingHooks, type RecordingHooks } from './hooks.ts';
import { expireRecordings, fetchRecording, sweepStored, type RecordingsContext } from './jobs.ts';
import { quietWhileAsteriskAway } from './quiet-sweep.ts';
import { enqueueFetch, expireEveryMs, recordingJobs, recordingsQueue, sweepEveryMs, type FetchJob, type RecordingJob } from './queue.ts';

/** The daily retention run's scheduler: the retention page reads its next run. */
const expireSchedulerId = 'recordings-expire';

/** The recordings part, for tests and operations: its context (jobs run with it) and its queue. */
export interface RecordingsRuntime {
  context: RecordingsContext;
  queue: Queue<RecordingJob>;
}

declare module '../../platform/deps.ts' {
  interface Services {
    telephonyRecordings: RecordingsRuntime;
  }
}

/** The recordings directory: TELEPHONY_RECORDINGS_DIR, or <HOTLINE_DATA_DIR>/recordings. */
export function recordingsDir(config: Deps['config']): string {
  const dir = config.telephony.recordingsDir ?? join(config.dataDir, 'recordings');
  return isAbsolute(dir) ? dir : resolve(dir);
}

/**
 * Recordings (录音): routes in the api role, the fetch / sweep / expire jobs in the workers role, and the hooks
 * the controller calls when a call closes (returned, for the telephony role).
 */
export function registerRecordings(deps: Deps): RecordingHooks {
  const logger = deps.logger.child({ capability: 'telephony', part: 'recordings' });
  const dir = recordingsDir(deps.config);
  const queue = deps.queues.queue<RecordingJob>(recordingsQueue);
  const context: RecordingsContext = {
    db: deps.db,
    files: new AriRecordingFiles({ url: deps.config.ari.url, username: deps.config.ari.username, password: deps.config.ari.password, timeoutMs: deps.config.ari.commandTimeoutMs }),
    dir,
    retentionDays: deps.config.telephony.recordingRetentionDays,
    logger,
    now: () => new Date(),
  };
  if (deps.roles.has('api')) {
    const app = deps.http.withTypeProvider<ZodTypeProvider>();
    registerRecordingRoutes(app, { db: deps.db, dir, audit: serviceOf(deps, 'audit') });
    // Retention per court and legal holds: the daily expire job (workers) reads both.
    registerRecordingRetentionRoutes(app, {
      db: deps.db,
      defaultDays: deps.config.telephony.recordingRetentionDays,
      nextRunAt: async () => {
        const next = (await queue.getJobScheduler(expireSchedulerId))?.next;
        return next ? new Date(next) : null;
      },
    });
    registerRecordingHoldRoutes(app, { db: deps.db, audit: serviceOf(deps, 'audit') });
    // A call's page (its course, wait, transfers, tickets) beside its recording: both read the stored call records.
    registerCallDetailRoutes(app, deps.db);
  }
  if (deps.roles.has('workers')) {
    const sweep = quietWhileAsteriskAway(() => sweepStored(context, (callId, kind) => enqueueFetch(queue, callId, kind)), logger);
    deps.queues.work<RecordingJob>(
      recordingsQueue,
      {
        [recordingJobs.fetch]: (job: Job<RecordingJob>) => fetchRecording(context, job.data as FetchJob),
        [recordingJobs.sweep]: sweep,
        [recordingJobs.expire]: () => expireRecordings(context),
      },
      { concurrency: 2 },
    );
    const schedule = (id: string, every: number, name: string) => keepScheduling(queue, id, { every }, name, logger);
    void schedule('recordings-sweep', sweepEveryMs, recordingJobs.sweep);
    void schedule(expireSchedulerId, expireEveryMs, recordingJobs.expire);
  }
  deps.services.telephonyRecordings = { context, queue };
  return recordingHooks(queue, logger);
}
