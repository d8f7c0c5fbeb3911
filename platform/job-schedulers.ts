import type { RepeatOptions } from 'bullmq';
import type { Logger } from './logger.ts';

/** The part of a BullMQ queue this needs (any queue's data type; a test can wrap a real one). */
export interface SchedulableQueue {
  readonly closing: Promise<void> | undefined;
  upsertJobScheduler(id: string, repeat: Omit<RepeatOptions, 'key'>, template: { name: string; data: Record<string, never> }): Promise<unknown>;
}

export interface ScheduleRetry {
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Upserts a BullMQ job scheduler, and keeps trying with back-off while Redis is away (at boot, say): a scheduler set
 * once and dropped on the first error would leave its job never running. Logs once when it fails and once when it
 * lands after a failure. Resolves true when set, false when the queue closed first.
 */
export async function keepScheduling(
  queue: SchedulableQueue,
  schedulerId: string,
  repeat: Omit<RepeatOptions, 'key'>,
  jobName: string,
  logger: Logger,
  retry: ScheduleRetry = {},
): Promise<boolean> {
  const maxDelayMs = retry.maxDelayMs ?? 60_000;
  let delayMs = retry.firstDelayMs ?? 1000;
  let failed = false;
  for (;;) {
    if (queue.closing) return false;
    try {
      await queue.upsertJobScheduler(schedulerId, repeat, { name: jobName, data: {} });
      if (failed) logger.info({ scheduler: schedulerId }, 'job scheduler set after all');
      return true;
    } catch (err) {
      if (!failed) logger.warn({ scheduler: schedulerId, err: (err as Error).message }, 'could not set a job scheduler: retrying with back-off until Redis answers');
      failed = true;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    delayMs = Math.min(delayMs * 2, maxDelayMs);
  }
}
