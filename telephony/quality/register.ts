import { keepScheduling } from '../../platform/job-schedulers.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { serviceOf, type Deps } from '../../platform/deps.ts';
import { recordingsDir } from '../recordings/register.ts';
import { registerQualityAdminRoutes } from './admin.routes.ts';
import { registerQualityReviewRoutes } from './review.routes.ts';
import { courtsToDraw, drawWeek } from './sampling.ts';
import { lastWeek, weeksBack } from './week.ts';

export const qualityQueue = 'telephony-quality';
export const drawJob = 'draw-week';

/**
 * Quality review (录音质检): the routes in an api process; in a workers process, the weekly draw (Monday 01:30
 * China time, last week, every court with answered calls), a repeatable BullMQ job; drawing is idempotent.
 */
export function registerQuality(deps: Deps): void {
  if (deps.roles.has('api')) {
    const app = deps.http.withTypeProvider<ZodTypeProvider>();
    registerQualityAdminRoutes(app, deps.db);
    registerQualityReviewRoutes(app, { db: deps.db, seals: deps.seals, dir: recordingsDir(deps.config), audit: serviceOf(deps, 'audit') });
  }
  if (deps.roles.has('workers')) {
    const logger = deps.logger.child({ capability: 'telephony', part: 'quality' });
    const queue = deps.queues.queue<{ week?: string }>(qualityQueue);
    deps.queues.work<{ week?: string }>(qualityQueue, {
      [drawJob]: async (job) => {
        // Last week, and the three before it again: a complaint ticket or an unsatisfied rating (the return visit
        // comes days later) recorded since adds its call; what was drawn stays as it was.
        const weeks = job.data.week ? [job.data.week] : weeksBack(lastWeek(new Date()), 4);
        const results = [];
        for (const week of weeks) {
          for (const courtId of await courtsToDraw(deps.db, week)) results.push({ courtId, ...(await drawWeek(deps.db, courtId, week, null)) });
        }
        logger.info({ weeks, draws: results.length, added: results.reduce((s, r) => s + r.added, 0) }, 'quality sample drawn');
        return results;
      },
    });
    void keepScheduling(queue, 'quality-weekly-draw', { pattern: '0 30 1 * * 1', tz: 'Asia/Shanghai' }, drawJob, logger);
  }
}
