import type { Logger } from './logger.ts';

export interface SignalOptions {
  stop: () => Promise<void>;
  logger: Logger;
  /** After this long the process exits even if in-hand work has not finished. */
  timeoutMs: number;
  exit?: (code: number) => void;
  target?: Pick<NodeJS.Process, 'on'>;
}

/**
 * SIGTERM/SIGINT: stop gracefully and exit 0 (1 if a step failed or the timeout passed).
 * A second signal exits at once with 130.
 */
export function exitOnSignals({ stop, logger, timeoutMs, exit = process.exit, target = process }: SignalOptions): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn({ signal }, 'second signal: exiting at once');
      exit(130);
      return;
    }
    received = true;
    logger.info({ signal, timeoutMs }, 'shutting down: finishing work in hand');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting with work unfinished');
      exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        clearTimeout(timer);
        logger.info('stopped cleanly');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        logger.error({ err }, 'stopped with errors');
        exit(1);
      },
    );
  };
  target.on('SIGTERM', onSignal);
  target.on('SIGINT', onSignal);
}
