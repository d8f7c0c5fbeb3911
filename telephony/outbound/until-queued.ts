import type { Logger } from '../../platform/logger.ts';
import { retry } from '../../platform/retry.ts';

/** After this long without Redis taking the job, each further failure is an error: someone must look. */
export const queueFailureErrorAfterMs = 120_000;

/**
 * Adds a job, trying again until Redis takes it (it may be away for a moment; the job's id keeps it single):
 * a callback's retry, its relay result, a return visit's survey answer. Failures are warnings for two minutes,
 * errors after that. Held in memory only: a process that dies meanwhile loses the try (docs/telephony.md).
 */
export async function untilQueued(log: Logger, what: string, add: () => Promise<void>, now: () => number = Date.now): Promise<void> {
  const since = now();
  await retry(
    add,
    (failures) => Math.min(500 * 2 ** (failures - 1), 30_000),
    (err, _failures, wait) => {
      const fields = { err: (err as Error).message, retryInMs: wait };
      if (now() - since >= queueFailureErrorAfterMs) log.error(fields, `could not queue ${what} for two minutes or more: trying again`);
      else log.warn(fields, `could not queue ${what}: trying again`);
    },
  );
}
