import { z } from 'zod';

/** Graceful shutdown. */
export const shutdownSchema = z
  .object({
    /** How long in-hand work may take to finish after SIGTERM before the process exits anyway. */
    timeoutMs: z.coerce.number().int().positive().default(15000),
  })
  .prefault({});

export const shutdownEnv = {
  'shutdown.timeoutMs': 'HOTLINE_SHUTDOWN_TIMEOUT_MS',
} as const;

export const shutdownHints: Record<keyof typeof shutdownEnv, string> = {
  'shutdown.timeoutMs': 'milliseconds, a whole number above 0, e.g. 15000',
};
