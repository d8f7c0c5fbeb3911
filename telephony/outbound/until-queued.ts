import type { Logger } from '../../platform/logger.ts';

/**
 * Adds a job, trying again until Redis takes it (it may be away for a moment; the job's id keeps it single):
 * a callback's retry, its relay result, a return visit's survey answer. Each failure is a warning.
 */
export async function untilQueued(log: Logger, what: string, add: () => Promise<void>): Promise<void> {
  for (let wait = 500; ; wait = Math.min(wait * 2, 30_000)) {
    try {
      await add();
      return;
    } catch (err) {
      log.warn({ err: (err as Error).message, retryInMs: wait }, `could not queue ${what}: trying again`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
