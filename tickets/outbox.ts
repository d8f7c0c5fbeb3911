import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import type { Queues } from '../platform/queues.ts';
import { withTimeout } from '../platform/timeout.ts';
import type { Tx } from './audit.ts';
import type { Clock } from './clock.ts';
import { outbox } from './outbox.sql.ts';

export interface OutboxJob {
  queue: string;
  name: string;
  jobId: string;
  data: object;
  runAt?: Date | null;
  /** 'remove' takes a job that is no longer wanted (a replaced timer) off its queue. */
  action?: 'add' | 'remove';
}

/** Writes jobs in the caller's transaction: they reach Redis only if the change commits. */
export async function writeOutbox(tx: Tx, jobs: OutboxJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await tx.insert(outbox).values(
    jobs.map((j) => ({ queue: j.queue, action: j.action ?? 'add', jobName: j.name, jobId: j.jobId, data: j.data, runAt: j.runAt ?? null })),
  );
}

/**
 * Options of every job the relay adds. A job that fails (PostgreSQL away while a timer fires, the SMS gateway
 * down) is retried with a growing delay, 2 s to about 68 min, over some 2.3 hours: without retries it would stay
 * failed, and since its id is taken, neither a re-relay nor `tickets:rebuild-timers` could add it again. Every
 * handler is idempotent (a timer fires only while pending; a delivery is sent once, keyed by its id). Finished
 * jobs are kept a while (so a re-relayed id is still a duplicate), then dropped.
 */
export const relayJobOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export interface RelayOptions {
  db: Db;
  queues: Queues;
  clock: Clock;
  logger: Logger;
  batchSize?: number;
  pollMs?: number;
  /** How long one Redis command may take before the relay gives up and retries later. */
  redisTimeoutMs?: number;
}

/**
 * Moves outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so several relays (processes)
 * share the work; a row is marked relayed only after Redis accepted its job, and job ids are deterministic,
 * so Redis being down delays jobs but never loses or doubles them.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Kicks do nothing until start(): a process that only runs commands leaves relaying to others. */
  private stopped = true;
  private readonly batchSize: number;
  private readonly redisTimeoutMs: number;

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.redisTimeoutMs = options.redisTimeoutMs ?? 2000;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 1000);
    this.kick();
  }

  /** Relay soon (after a commit); coalesces with a pass already running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.relayAll()
      .then(() => undefined)
      .catch((err: Error) => this.options.logger.warn({ err: err.message }, 'outbox relay pass failed; will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Relays until the outbox is empty or Redis refuses; returns how many rows were relayed. Waits for a pass
   * already in flight first, so when it returns, everything committed before the call has been tried.
   */
  async drain(): Promise<number> {
    await this.running;
    return this.relayAll();
  }

  private async relayAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const { relayed, complete } = await this.runOnce();
      total += relayed;
      if (!complete || relayed === 0) return total;
    }
  }

  /** One batch. `complete` is false when Redis failed part-way (the rest stays for the next pass). */
  async runOnce(): Promise<{ relayed: number; complete: boolean }> {
    const { db, queues, clock, logger } = this.options;
    return db.transaction(async (tx) => {
      const rows = await tx.select().from(outbox).where(isNull(outbox.relayedAt)).orderBy(asc(outbox.id)).limit(this.batchSize).for('update', { skipLocked: true });
      const done: number[] = [];
      let complete = true;
      // Consecutive adds to one queue go in one addBulk (one round trip); order between runs is kept, so a
      // timer added then removed in the same batch ends removed.
      for (let i = 0; i < rows.length; ) {
        const first = rows[i]!;
        let end = i + 1;
        if (first.action !== 'remove') while (end < rows.length && rows[end]!.action !== 'remove' && rows[end]!.queue === first.queue) end++;
        const run = rows.slice(i, end);
        try {
          const queue = queues.queue(first.queue);
          if (first.action === 'remove') {
            await withTimeout(queue.remove(first.jobId), this.redisTimeoutMs, 'redis did not answer');
          } else {
            const now = clock.now().getTime();
            const jobs = run.map((row) => ({ name: row.jobName, data: row.data, opts: { jobId: row.jobId, delay: row.runAt ? Math.max(0, row.runAt.getTime() - now) : 0, ...relayJobOptions } }));
            await withTimeout(queue.addBulk(jobs), this.redisTimeoutMs, 'redis did not answer');
          }
          done.push(...run.map((row) => row.id));
        } catch (err) {
          logger.warn({ err: (err as Error).message, jobId: first.jobId, queue: first.queue, jobs: run.length }, 'outbox: redis refused a job; keeping it for the next pass');
          complete = false;
          break;
        }
        i = end;
      }
      if (done.length > 0) await tx.update(outbox).set({ relayedAt: sql`now()` }).where(inArray(outbox.id, done));
      return { relayed: done.length, complete };
    });
  }
}
