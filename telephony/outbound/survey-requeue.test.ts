import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCourt, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import type { SurveyJob } from './scheduler.ts';
import { loggedLines } from '../../test/harness/logged.ts';
import { requeueSurveyAnswers } from './survey-requeue.ts';
import { recordSurveyAnswer } from './survey.ts';

// On start, voice surveys answered in the last two days are queued again from their rows (a job held in memory
// when the process stopped is not lost); relay calls, unanswered surveys and older ones are not. An answer run
// again is not applied twice.
const api = await useApi();
const db = api.deps.db;
let court: SeededCourt;
beforeAll(async () => {
  court = await seedCourt(db);
});

async function request(r: { purpose: string; mode: string; satisfaction: string | null; finishedAgoMs: number }): Promise<string> {
  const id = randomUUID();
  const finished = new Date(Date.now() - r.finishedAgoMs).toISOString();
  await db.execute(sql`insert into telephony.outbound_requests (id, court_id, purpose, mode, ticket_id, number, requested_by, requested_at, status, attempts, result, satisfaction, finished_at, updated_at)
    values (${id}, ${court.courtId}, ${r.purpose}::telephony.outbound_purpose, ${r.mode}::telephony.outbound_mode, ${randomUUID()}, '13800000601', ${court.users.manager.id},
            ${finished}::timestamptz, 'completed', 1, 'connected', ${r.satisfaction}, ${finished}::timestamptz, ${finished}::timestamptz)`);
  return id;
}

describe('survey answers queued again on start', () => {
  it('queues each recent answered survey with its key and the asker as they are now; nothing else', async () => {
    const answered = await request({ purpose: 'return_visit', mode: 'survey', satisfaction: 'basically_satisfied', finishedAgoMs: 60_000 });
    await request({ purpose: 'return_visit', mode: 'survey', satisfaction: null, finishedAgoMs: 60_000 });
    await request({ purpose: 'return_visit', mode: 'survey', satisfaction: 'satisfied', finishedAgoMs: 3 * 86_400_000 });
    await request({ purpose: 'relay', mode: 'operator', satisfaction: null, finishedAgoMs: 60_000 });
    const jobs: SurveyJob[] = [];
    expect(await requeueSurveyAnswers(db, { recordSurvey: async (job) => void jobs.push(job) }, Date.now(), 2 * 86_400_000)).toBe(1);
    expect(jobs).toMatchObject([
      { satisfaction: 'basically_satisfied', digit: '2', request: { id: answered, purpose: 'return_visit', mode: 'survey', requestedBy: { userId: court.users.manager.id, role: 'manager', courtId: court.courtId } } },
    ]);
  });
});

describe('a survey answer run again', () => {
  const job = (answeredSince: number): SurveyJob => ({
    request: { id: randomUUID(), courtId: randomUUID(), purpose: 'return_visit', mode: 'survey', ticketId: randomUUID(), callId: null, number: '13800000602', requestedBy: { userId: randomUUID(), role: 'operator', courtId: randomUUID(), departmentId: null }, endpoint: null },
    satisfaction: 'unsatisfied',
    digit: '3',
    answeredSince,
  });
  const tickets = (callbackAt: Date | null) => {
    const recorded: string[] = [];
    return { recorded, port: { get: async () => ({ callbackAt }), recordCallback: async (_a: unknown, ticketId: string) => void recorded.push(ticketId) } };
  };

  it('is not applied again when a return visit is on the ticket since it was given (an unsatisfied one would reopen it twice)', async () => {
    const { logger, lines } = loggedLines();
    const since = Date.now() - 60_000;
    const applied = tickets(new Date(since + 1000));
    await recordSurveyAnswer(applied.port, job(since), logger);
    expect(applied.recorded).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual(['survey answer already on the ticket: not applied again']);

    const earlierVisit = tickets(new Date(since - 86_400_000));
    const fresh = job(since);
    await recordSurveyAnswer(earlierVisit.port, fresh, logger);
    expect(earlierVisit.recorded).toEqual([fresh.request.ticketId]);
  });
});
