import { z } from 'zod';
import { booleanText } from './values.ts';

/** Logging. */
export const logSchema = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Unset: human-readable when stdout is a terminal, JSON lines otherwise (platform/logger.ts). */
    pretty: booleanText.optional(),
  })
  .prefault({});

export const logEnv = {
  'log.level': 'LOG_LEVEL',
  'log.pretty': 'LOG_PRETTY',
} as const;

export const logHints: Record<keyof typeof logEnv, string> = {
  'log.level': 'one of fatal, error, warn, info, debug, trace, silent',
  'log.pretty': 'true or false',
};
