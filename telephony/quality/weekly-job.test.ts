import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedCourt, useApi } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { recordedCall } from '../recordings/testing/recorded-call.ts';
import { drawJob, qualityQueue } from './register.ts';
import { lastWeek, weekSpan } from './week.ts';

// The weekly draw as BullMQ runs it in a workers process (real Redis): scheduled each Monday 01:30 China time; a run
// draws last week for every court with answered calls, and a second run adds nothing.
const hotline = await useApi({ HOTLINE_ROLES: 'api,workers' });

describe('the weekly quality draw (BullMQ)', () => {
  it('is scheduled weekly, draws last week for each court, and adds nothing when run again', async () => {
    const db = hotline.deps.db;
    const queue = hotline.deps.queues.queue<{ week?: string }>(qualityQueue);
    await expect.poll(async () => (await queue.getJobScheduler('quality-weekly-draw'))?.pattern).toBe('0 30 1 * * 1');
    expect((await queue.getJobScheduler('quality-weekly-draw'))?.tz).toBe('Asia/Shanghai');

    const court = await seedCourt(db);
    const week = lastWeek(new Date());
    const daysAgo = (Date.now() - weekSpan(week).start.getTime() - 50 * 3600_000) / 86_400_000;
    const dir = serviceOf(hotline.deps, 'telephonyRecordings').context.dir;
    for (let i = 0; i < 4; i++) await recordedCall(db, { courtId: court.courtId, dir, daysAgo: daysAgo - i * 0.01, operatorId: court.users.operator.id });
    const count = async () => Number((await db.execute<{ n: string }>(sql`select count(*) as n from telephony.quality_reviews where court_id = ${court.courtId} and week = ${week}`)).rows[0]!.n);

    const run = async (id: string) => {
      const job = await queue.add(drawJob, { week }, { jobId: id });
      await expect.poll(async () => (await queue.getJob(job.id!))?.finishedOn, { timeout: 15_000 }).toBeTruthy();
      return (await queue.getJob(job.id!))!;
    };
    const first = await run(`quality-test-${court.courtId}-1`);
    expect(first.failedReason).toBeUndefined();
    // 10 % of 4 answered calls, rounded up: one, drawn by the job (no manager).
    expect(await count()).toBe(1);
    expect((await db.execute<{ by: string | null }>(sql`select first_drawn_by as by from telephony.quality_draws where court_id = ${court.courtId}`)).rows).toEqual([{ by: null }]);
    await run(`quality-test-${court.courtId}-2`);
    expect(await count()).toBe(1);

    // The scheduled run (no week given) draws last week and the three before it again: a complaint filed since on
    // a call of last week is added, nothing else.
    const { rows } = await db.execute<{ id: string }>(sql`select c.id::text from telephony.calls c where c.court_id = ${court.courtId}
      and not exists (select 1 from telephony.quality_reviews r where r.call_id = c.id) limit 1`);
    const ticket = (await db.execute<{ id: string }>(sql`insert into tickets.tickets (number, court_id, category, summary) values (${`QW-${court.courtId.slice(0, 8)}`}, ${court.courtId}, 'complaint', '投诉') returning id::text`)).rows[0]!.id;
    await db.execute(sql`insert into tickets.ticket_calls (ticket_id, call_id) values (${ticket}, ${rows[0]!.id})`);
    const scheduled = await queue.add(drawJob, {}, { jobId: `quality-test-${court.courtId}-3` });
    await expect.poll(async () => (await queue.getJob(scheduled.id!))?.finishedOn, { timeout: 15_000 }).toBeTruthy();
    expect(await count()).toBe(2);
  }, 60_000);
});
