import { asc, eq, gt, and } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Queues } from '../platform/queues.ts';
import type { Clock } from './clock.ts';
import { relayJobOptions } from './outbox.ts';
import { slaTimers } from './outbox.sql.ts';
import { tickets } from './tickets.sql.ts';
import { timerJob } from './timers.ts';

/**
 * After Redis is lost: puts every pending chase timer back on its queue from PostgreSQL, with the same job id
 * (a timer still in Redis is left as it is). Returns how many were re-added.
 */
export async function rebuildTimers(db: Db, queues: Queues, clock: Clock, pageSize = 1000): Promise<{ pending: number; added: number }> {
  let pending = 0;
  let added = 0;
  let after = '';
  for (;;) {
    const page = await db
      .select({ jobId: slaTimers.jobId, ticketId: slaTimers.ticketId, level: slaTimers.level, fireAt: slaTimers.fireAt, deadlineVersion: tickets.deadlineVersion })
      .from(slaTimers)
      .innerJoin(tickets, eq(tickets.id, slaTimers.ticketId))
      .where(and(eq(slaTimers.status, 'pending'), gt(slaTimers.jobId, after)))
      .orderBy(asc(slaTimers.jobId))
      .limit(pageSize);
    if (page.length === 0) return { pending, added };
    for (const timer of page) {
      pending++;
      // A pending timer always belongs to the current deadline: replanning cancels the old ones.
      const job = timerJob(timer, timer.deadlineVersion);
      const queue = queues.queue(job.queue);
      if (await queue.getJob(job.jobId)) continue;
      const delay = Math.max(0, timer.fireAt.getTime() - clock.now().getTime());
      await queue.add(job.name, job.data, { jobId: job.jobId, delay, ...relayJobOptions });
      added++;
    }
    after = page[page.length - 1]!.jobId;
  }
}
