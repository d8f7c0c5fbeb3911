import { isRefusal } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { SurveyJob } from './scheduler.ts';
import type { SurveySatisfaction } from './types.ts';

/** What the survey needs of the tickets capability: its service's `recordCallback` (the return visit, 回访). */
export interface SurveyTickets {
  recordCallback(actor: Actor, ticketId: string, input: { resolved: boolean; satisfaction: SurveySatisfaction; note?: string }): Promise<unknown>;
  get(actor: Actor, ticketId: string): Promise<{ callbackAt: Date | string | null }>;
}

const keyWords: Record<SurveySatisfaction, string> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };

/**
 * Records a survey answer on the ticket as the return visit, acting as the user who asked for the survey. The
 * survey asks only for satisfaction, so "resolved" is taken from it (unsatisfied = not resolved, which reopens the
 * ticket to its handler); the note says so. A refusal (the ticket left the callback stage meanwhile) is final and
 * logged; anything else (the database away) throws, and the job is retried.
 */
export async function recordSurveyAnswer(tickets: SurveyTickets, job: SurveyJob, log: Logger): Promise<void> {
  const { request, satisfaction, digit } = job;
  if (!request.ticketId) return;
  const note = `自动语音回访：来电人按${digit}键（${keyWords[satisfaction]}） / automatic voice survey: key ${digit}`;
  try {
    if (job.answeredSince !== undefined) {
      // Run again (a requeue after Redis lost the job that ran): an unsatisfied answer would reopen the ticket twice.
      const { callbackAt } = await tickets.get(request.requestedBy, request.ticketId);
      if (callbackAt !== null && new Date(callbackAt).getTime() >= job.answeredSince) {
        log.info({ outboundId: request.id, ticketId: request.ticketId }, 'survey answer already on the ticket: not applied again');
        return;
      }
    }
    await tickets.recordCallback(request.requestedBy, request.ticketId, { resolved: satisfaction !== 'unsatisfied', satisfaction, note });
    log.info({ outboundId: request.id, ticketId: request.ticketId, satisfaction }, 'survey answer recorded on the ticket');
  } catch (err) {
    if (isRefusal(err)) {
      log.warn({ outboundId: request.id, ticketId: request.ticketId, code: err.code, err: err.message }, 'survey answer not recorded: the ticket refused it');
      return;
    }
    throw err;
  }
}
