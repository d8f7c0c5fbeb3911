import type { Logger } from '../../platform/logger.ts';
import { AriFetchRetry } from './ari-files.ts';

/**
 * The sweep as a job that waits quietly while Asterisk is away: it runs every ten minutes anyway, so a run that
 * cannot reach ARI is not a failure to report each time. One warning when Asterisk goes, one line when it is back;
 * any other error fails the job as before.
 */
export function quietWhileAsteriskAway(sweep: () => Promise<number>, logger: Logger): () => Promise<number> {
  let away: string | null = null;
  return async () => {
    try {
      const queued = await sweep();
      if (away !== null) logger.info({ was: away }, 'Asterisk reachable again: the recordings sweep runs again');
      away = null;
      return queued;
    } catch (err) {
      if (!(err instanceof AriFetchRetry)) throw err;
      if (away === null) logger.warn({ err: err.message }, 'Asterisk not reachable: the recordings sweep waits for it (quietly, every run)');
      away = err.message;
      return 0;
    }
  };
}
