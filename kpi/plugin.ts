import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Capability } from '../platform/deps.ts';
import { kpiJobs, kpiQueue, startKpiJobs, type KpiJobSettings } from './jobs.ts';
import { registerReportDecisionRoutes } from './report-decisions.routes.ts';
import { registerKpiRoutes } from './routes.ts';
import { defaultSyncOptions } from './sync.ts';

export const defaultKpiJobSettings: KpiJobSettings = {
  syncEveryMs: 10_000,
  reconcileEveryMs: 3_600_000,
  reconcileDays: 35,
  weeklyPattern: '0 8 * * 1',
  sync: defaultSyncOptions,
};

/**
 * KPIs: read-only over the call and ticket records. `workers` keeps the facts and rollups up to date and
 * issues the weekly reports; `api` serves the figures.
 */
export function kpiCapability(settings: Partial<KpiJobSettings> = {}): Capability {
  const jobSettings = { ...defaultKpiJobSettings, ...settings };
  return {
    name: 'kpi',
    async register(deps) {
      if (deps.roles.has('workers')) await startKpiJobs(deps, jobSettings);
      if (deps.roles.has('api')) {
        const queue = deps.queues.queue(kpiQueue);
        const app = deps.http.withTypeProvider<ZodTypeProvider>();
        registerReportDecisionRoutes(app, deps.db);
        registerKpiRoutes(app, deps.db, {
          requestRebuild: async () => void (await queue.add(kpiJobs.reconcile, { full: true })),
          memos: { signer: deps.seals.signer, log: deps.logger.child({ component: 'kpi' }) },
          checkpoint: (reason) => deps.seals.checkpoint(deps.db, reason),
        });
      }
    },
  };
}

export const kpi = kpiCapability();
