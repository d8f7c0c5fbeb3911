import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Gauge } from 'prom-client';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Redis } from './redis/connect.ts';
import { withTimeout } from './timeout.ts';

/** One handler per job name; a job whose name has no handler fails loudly instead of being skipped. */
export type JobHandlers<Data = unknown> = Record<string, (job: Job<Data>, log: Logger) => Promise<unknown>>;

export interface WorkerSettings {
  concurrency?: number;
}

/**
 * Every BullMQ queue and worker of the hotline, on one Redis connection and key prefix.
 * Workers start only in a process that runs the `workers` role.
 */
export class Queues {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly redis: Redis,
    readonly prefix: string,
    private readonly logger: Logger,
    readonly workersEnabled: boolean,
    metrics: Metrics,
    /** How long a stop waits for each worker to close (its jobs in hand to finish) before going on without it. */
    private readonly closeTimeoutMs = 10_000,
  ) {
    const queues = this.queues;
    new Gauge({
      name: 'hotline_queue_jobs',
      help: 'Jobs in each BullMQ queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const [name, queue] of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: name, state }, count);
        }
      },
    });
  }

  /** The queue of this name (created once). */
  queue<Data = unknown>(name: string, defaultJobOptions?: JobsOptions): Queue<Data> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.prefix, ...(defaultJobOptions ? { defaultJobOptions } : {}) });
      queue.on('error', (err) => this.logger.warn({ queue: name, err: err.message }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue as Queue<Data>;
  }

  /** Every queue created so far (for dashboards such as the admins' queue board). */
  list(): Queue[] {
    return [...this.queues.values()];
  }

  /** Starts the worker for a queue, when this process runs workers. Returns undefined otherwise. */
  work<Data>(name: string, handlers: JobHandlers<Data>, settings: WorkerSettings = {}): Worker<Data> | undefined {
    if (!this.workersEnabled) return undefined;
    if (this.workers.has(name)) throw new Error(`queue "${name}" already has a worker`);
    if (Object.keys(handlers).length === 0) throw new Error(`queue "${name}": a worker needs at least one job handler`);
    this.queue(name);
    const worker = new Worker<Data>(
      name,
      async (job) => {
        const handler = handlers[job.name];
        if (!handler) throw new Error(`queue "${name}" has no handler for job "${job.name}"`);
        return handler(job, this.logger.child({ queue: name, job: job.name, jobId: job.id }));
      },
      { connection: this.redis, prefix: this.prefix, concurrency: settings.concurrency ?? 1 },
    );
    worker.on('error', (err) => this.logger.warn({ queue: name, err: err.message }, 'worker error'));
    worker.on('failed', (job, err) => this.logger.error({ queue: name, job: job?.name, jobId: job?.id, err: err.message }, 'job failed'));
    this.workers.set(name, worker as Worker);
    return worker;
  }

  /** Stops fetching new jobs and waits for the ones in hand to finish (at most `closeTimeoutMs` per worker). */
  async drainWorkers(): Promise<void> {
    const workers = [...this.workers];
    this.workers.clear(); // closed or given up on: a later close() does not wait for them again
    await Promise.all(workers.map(([name, worker]) => this.closeWorker(name, worker)));
  }

  /**
   * A stop must end: BullMQ's close waits for the jobs in hand, which may hang on a dependency, and for its
   * blocking connection's 'end' event, which ioredis does not always emit (taskforcesh/bullmq#4065, several
   * workers on one healthy Redis). Past the bound the stop goes on without the worker (its disconnect() would
   * also drop the shared connection the other steps still use); a job it still held is taken up again by
   * BullMQ's stalled-job check in the next process.
   */
  private async closeWorker(name: string, worker: Worker): Promise<void> {
    const closing = worker.close().catch((err: Error) => this.logger.warn({ queue: name, err: err.message }, 'worker close failed'));
    try {
      await withTimeout(closing, this.closeTimeoutMs);
    } catch {
      this.logger.warn({ queue: name, ms: this.closeTimeoutMs }, 'worker did not close in time: the stop goes on without it');
    }
  }

  async close(): Promise<void> {
    await this.drainWorkers();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
