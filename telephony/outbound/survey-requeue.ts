import { and, eq, gte, isNotNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import { outboundRequests } from './outbound.sql.ts';
import type { OutboundScheduler } from './scheduler.ts';
import { surveyKeys, type SurveySatisfaction } from './types.ts';

const digitOf = Object.fromEntries(Object.entries(surveyKeys).map(([digit, satisfaction]) => [satisfaction, digit])) as Record<SurveySatisfaction, string>;

/**
 * On the controller's start: voice surveys answered in the last `withinMs` are queued again, from what the journal
 * wrote of them (the request's `satisfaction`). Their job ids are fixed, so one that ran and is still kept in Redis
 * (7 days) is not added twice; one lost with its process (held in memory until Redis took it) or with Redis runs,
 * and a ticket no longer in 回访 refuses it (logged, final).
 */
export async function requeueSurveyAnswers(db: Db, scheduler: Pick<OutboundScheduler, 'recordSurvey'>, now: number, withinMs: number): Promise<number> {
  const rows = await db
    .select({ request: outboundRequests, role: users.role, departmentId: users.departmentId })
    .from(outboundRequests)
    .innerJoin(users, eq(users.id, outboundRequests.requestedBy))
    .where(and(eq(outboundRequests.purpose, 'return_visit'), eq(outboundRequests.mode, 'survey'), isNotNull(outboundRequests.ticketId), isNotNull(outboundRequests.satisfaction), gte(outboundRequests.finishedAt, new Date(now - withinMs))));
  let queued = 0;
  for (const { request: r, role, departmentId } of rows) {
    const satisfaction = r.satisfaction as SurveySatisfaction;
    if (!digitOf[satisfaction]) continue;
    const request = {
      id: r.id,
      courtId: r.courtId,
      purpose: r.purpose,
      mode: r.mode,
      ticketId: r.ticketId,
      callId: r.callId,
      number: r.number,
      requestedBy: { userId: r.requestedBy, role, courtId: r.courtId, departmentId },
      endpoint: r.endpoint,
    };
    await scheduler.recordSurvey({ request, satisfaction, digit: digitOf[satisfaction] });
    queued += 1;
  }
  return queued;
}
