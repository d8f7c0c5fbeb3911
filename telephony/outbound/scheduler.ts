import { DelayedError, Worker, type Job, type Queue } from 'bullmq';
import type { Logger } from '../../platform/logger.ts';
import type { Queues } from '../../platform/queues.ts';
import type { Redis } from '../../platform/redis/connect.ts';
import type { OutboundRequest, SurveySatisfaction } from './types.ts';

export const outboundQueue = 'telephony-outbound';

export const outboundJobNames = { attempt: 'attempt', survey: 'record-survey', relay: 'report-relay' } as const;

export interface AttemptJob {
  request: OutboundRequest;
  attempt: number;
  /** Since when the job has been left to other controllers (nodes.ts): past a bound it fails loudly instead. */
  postponedSince?: number;
}

export interface SurveyJob {
  request: OutboundRequest;
  satisfaction: SurveySatisfaction;
  digit: string;
  /**
   * A return visit on the ticket at or after this moment is this answer's own (or a later one's): not applied again.
   * The moment it was given; a requeue on start gives the request's own time, which is earlier.
   */
  answeredSince?: number;
}

/** A relay call (purpose relay, of a ticket) is over: its result goes to the ticket (relay-report.ts). */
export interface RelayJob {
  outboundId: string;
}

/** Deterministic job ids: an attempt, a survey answer or a relay's result is queued once however often it is asked for. */
export const outboundJobIds = {
  attempt: (id: string, attempt: number) => `ob-${id}-${attempt}`,
  survey: (id: string) => `ob-${id}-survey`,
  relay: (id: string) => `ob-${id}-relay`,
};

export interface OutboundHandlers {
  /** Starts the attempt; resolves with a later time when it must wait (business hours, left to others: then since when), throws to be retried. */
  attempt(job: AttemptJob): Promise<{ postponeUntil?: number; postponedSince?: number }>;
  survey(job: SurveyJob): Promise<void>;
  relay(job: RelayJob): Promise<void>;
}

/**
 * Attempts, survey answers and relay results as BullMQ jobs (platform/queues.ts), so a pending retry survives a restart of the
 * controller and of Redis' clients; a job that fails (ARI or the database away) is retried with backoff.
 */
export class OutboundScheduler {
  readonly queue: Queue;
  private worker: Worker | undefined;

  constructor(
    private readonly queues: Queues,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = queues.queue(outboundQueue, {
      attempts: 12,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 7 * 86400 },
      removeOnFail: { age: 30 * 86400 },
    });
  }

  async scheduleAttempt(request: OutboundRequest, attempt: number, at: number): Promise<void> {
    const data: AttemptJob = { request, attempt };
    // The job's own timestamp is the `now` its delay was counted from, so it falls due exactly at `at` (BullMQ
    // would otherwise stamp it a moment later, and it would run that much after the business opening).
    const now = this.now();
    await this.queue.add(outboundJobNames.attempt, data, { jobId: outboundJobIds.attempt(request.id, attempt), timestamp: now, delay: Math.max(0, at - now) });
  }

  async recordSurvey(job: SurveyJob): Promise<void> {
    await this.queue.add(outboundJobNames.survey, job, { jobId: outboundJobIds.survey(job.request.id) });
  }

  async reportRelay(outboundId: string): Promise<void> {
    const job: RelayJob = { outboundId };
    await this.queue.add(outboundJobNames.relay, job, { jobId: outboundJobIds.relay(outboundId) });
  }

  /**
   * The worker runs in the process that controls ARI (the `telephony` role), whatever its other roles: an
   * attempt needs the controller. Built here rather than with Queues.work, which starts workers only with `workers`.
   */
  startWorker(redis: Redis, handlers: OutboundHandlers, logger: Logger): void {
    const log = logger.child({ queue: outboundQueue });
    this.worker = new Worker(
      outboundQueue,
      async (job: Job, token?: string) => {
        if (job.name === outboundJobNames.survey) return handlers.survey(job.data as SurveyJob);
        if (job.name === outboundJobNames.relay) return handlers.relay(job.data as RelayJob);
        if (job.name !== outboundJobNames.attempt) throw new Error(`queue "${outboundQueue}" has no handler for job "${job.name}"`);
        const result = await handlers.attempt(job.data as AttemptJob);
        if (result.postponeUntil !== undefined) {
          if (result.postponedSince !== (job.data as AttemptJob).postponedSince) await job.updateData({ ...job.data, postponedSince: result.postponedSince });
          await job.moveToDelayed(result.postponeUntil, token);
          throw new DelayedError();
        }
        return undefined;
      },
      { connection: redis, prefix: this.queues.prefix, concurrency: 8 },
    );
    this.worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));
    this.worker.on('failed', (job, err) => log.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'outbound job failed'));
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = undefined;
  }
}
