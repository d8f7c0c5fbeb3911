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
 * (7 days) is not added twice; one lost with its process (held in memory until Redis took it) or with Redis runs.
 * Run again after Redis lost the jobs that ran, an answer already on its ticket (a return visit recorded since the
 * request) is not applied twice (survey.ts).
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
    // Since the request was made: a return visit recorded after that is this answer's, already applied.
    await scheduler.recordSurvey({ request, satisfaction, digit: digitOf[satisfaction], answeredSince: r.requestedAt.getTime() });
    queued += 1;
  }
  return queued;
}
