import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/schema.ts';

export type { Logger };

/**
 * The root logger; capabilities take child loggers (per call, per job) from it. Writes to stdout unless given
 * `destination` (benchmarks). Human-readable (pino-pretty) when `pretty` says so or, unset, when stdout is a
 * terminal; JSON lines otherwise, for log collectors.
 */
export function createLogger(config: Config['log'], destination?: DestinationStream): Logger {
  const pretty = prettyLogs(config, destination === undefined && process.stdout.isTTY === true);
  const options: pino.LoggerOptions = {
    level: config.level,
    base: { service: 'hotline-12368' },
    // Secrets and personal data never reach the logs.
    redact: {
      paths: ['password', '*.password', 'ari.password', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Human-readable logs: as configured (LOG_PRETTY), else when they go to a terminal. */
export function prettyLogs(config: Config['log'], toTerminal: boolean): boolean {
  return config.pretty ?? toTerminal;
}
