import { keepScheduling } from '../../platform/job-schedulers.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { serviceOf, type Deps } from '../../platform/deps.ts';
import { registerCaseImportRoutes } from './routes.ts';
import { dueCaseSources, syncCaseSource } from './source.ts';
import { registerCaseSourceRoutes, syncDetail } from './source.routes.ts';

export const caseSourcesQueue = 'telephony-case-sources';
/** How often the workers look for courts whose source is due (each court's own interval is at least 15 minutes). */
export const caseSourcesCheckEveryMs = 5 * 60_000;

/** The case directory: its import and source routes (api) and the sources' scheduled sync (workers). */
export function registerCases(deps: Deps): void {
  const secret = deps.config.console.sipPasswordSecret;
  if (deps.roles.has('api')) {
    const app = deps.http.withTypeProvider<ZodTypeProvider>();
    registerCaseImportRoutes(app, deps.db);
    registerCaseSourceRoutes(app, { db: deps.db, secret, audit: serviceOf(deps, 'audit') });
  }
  if (!deps.roles.has('workers')) return;
  const logger = deps.logger.child({ capability: 'telephony', part: 'case-sources' });
  const queue = deps.queues.queue(caseSourcesQueue);
  deps.queues.work(caseSourcesQueue, {
    'sync-due': async () => {
      // One court's failure never stops the others; the job still fails at the end so the failure is seen.
      const broken: string[] = [];
      for (const courtId of await dueCaseSources(deps.db, new Date())) {
        try {
          const outcome = await syncCaseSource(deps.db, { courtId, secret, trigger: 'schedule' });
          if (!outcome) continue;
          if (outcome.result === 'failed') logger.warn({ courtId, err: outcome.error }, 'case system sync failed; no case changed');
          // A workers-only process has no audit trail (the api's); the source's row keeps the outcome either way.
          await deps.services.audit?.record({ action: 'admin.action', courtId, actorUserId: null, detail: syncDetail(outcome, 'schedule') });
        } catch (err) {
          logger.error({ courtId, err }, 'case system sync could not record its outcome');
          broken.push(courtId);
        }
      }
      if (broken.length > 0) throw new Error(`case source sync could not record its outcome for court(s) ${broken.join(', ')}`);
    },
  });
  void keepScheduling(queue, 'case-sources-sync', { every: caseSourcesCheckEveryMs }, 'sync-due', logger);
}
