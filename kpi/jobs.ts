import { sql } from 'drizzle-orm';
import type { Deps } from '../platform/deps.ts';
import { reconcile, syncIncremental, upgradeRollupLayout, type SyncOptions } from './sync.ts';
import { issueWeeklyReport, weekStartOf } from './weekly-report.ts';

export const kpiQueue = 'kpi';
export const kpiJobs = { sync: 'sync', reconcile: 'reconcile', weeklyReport: 'weekly-report' } as const;

export interface KpiJobSettings {
  /** How often the incremental sync runs (ms). */
  syncEveryMs: number;
  /** How often the reconciliation runs (ms), and how far back it looks (days). */
  reconcileEveryMs: number;
  reconcileDays: number;
  /** When the weekly report is issued: a cron pattern in China time (default Monday 08:00). */
  weeklyPattern: string;
  sync: SyncOptions;
}

/**
 * The kpi queue's worker (workers role): one handler per job name, each idempotent (a sync or reconcile
 * rerun recomputes the same facts; a report rerun issues another copy, never edits one). Repeatable jobs
 * are upserted as job schedulers, so every process agrees on one schedule.
 */
export async function startKpiJobs(deps: Deps, settings: KpiJobSettings): Promise<void> {
  const queue = deps.queues.queue(kpiQueue, { removeOnComplete: 100, removeOnFail: 500 });
  deps.queues.work<{ full?: boolean }>(kpiQueue, {
    [kpiJobs.sync]: async (_job, log) => {
      if (await upgradeRollupLayout(deps.db)) log.info('kpi rollups rebuilt for the current layout');
      const result = await syncIncremental(deps.db, settings.sync);
      if (result.hours > 0) log.debug(result, 'kpi sync');
      return result;
    },
    [kpiJobs.reconcile]: async (job, log) => {
      const since = job.data?.full ? null : new Date(Date.now() - settings.reconcileDays * 86_400_000);
      const result = await reconcile(deps.db, since);
      log.info({ ...result, full: Boolean(job.data?.full) }, 'kpi reconciled');
      return result;
    },
    [kpiJobs.weeklyReport]: async (_job, log) => {
      const now = new Date();
      const lastWeek = new Date(weekStartOf(now).getTime() - 7 * 86_400_000);
      const { rows } = await deps.db.execute<{ id: string }>(sql`select id from platform.courts`);
      for (const court of rows) {
        const report = await issueWeeklyReport(deps.db, court.id, lastWeek, 'schedule', null, now, (reason) => deps.seals.checkpoint(deps.db, reason));
        log.info({ courtId: court.id, reportId: report.id }, 'weekly report issued');
      }
      return rows.length;
    },
  });
  if (!deps.queues.workersEnabled) return;
  await queue.upsertJobScheduler('kpi-sync', { every: settings.syncEveryMs }, { name: kpiJobs.sync });
  await queue.upsertJobScheduler('kpi-reconcile', { every: settings.reconcileEveryMs }, { name: kpiJobs.reconcile });
  await queue.upsertJobScheduler('kpi-weekly-report', { pattern: settings.weeklyPattern, tz: 'Asia/Shanghai' }, { name: kpiJobs.weeklyReport });
}
