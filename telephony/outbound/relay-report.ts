import { and, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { isRefusal } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { outboundAttempts, outboundRequests } from './outbound.sql.ts';
import type { OutboundScheduler, RelayJob } from './scheduler.ts';
import type { AttemptResult, LegOutcome } from './types.ts';

/** What reporting a relay call needs of the tickets capability: its service's `recordPhoneRelay` (tickets/phone/relay.ts). */
export interface RelayTickets {
  recordPhoneRelay(input: { courtId: string; ticketId: string; outboundId: string; deliveryId: string | null; operatorId: string; connected: boolean; detail: string }): Promise<string>;
}

const over = ['completed', 'unreachable', 'failed'] as const;

const resultWords: Partial<Record<AttemptResult, [string, string]>> = {
  caller_not_reached: ['未接通来电人', 'the caller was not reached'],
  operator_missed: ['话务员未接听自己的软电话', 'the operator did not answer their softphone'],
  operator_unavailable: ['话务员当时不空闲', 'the operator was not free'],
  operator_cancelled: ['话务员在来电人接听前挂断', 'the operator hung up before the caller answered'],
  failed: ['呼叫失败', 'the call failed'],
};
const legWords: Record<LegOutcome, [string, string]> = { answered: ['已接听', 'answered'], no_answer: ['无人接听', 'no answer'], busy: ['忙线', 'busy'], rejected: ['拒接', 'rejected'], failed: ['呼叫失败', 'failed'] };

/** Why a relay call failed, in both languages: its result, how the caller's last leg ended, and the attempts made. */
export function relayFailure(result: AttemptResult | null, attempts: number, lastCallerLeg: LegOutcome | null): string {
  // Failed after the caller answered: the two were never found in their bridge (machine.ts, connected).
  const unbridged: [string, string] | null = result === 'failed' && lastCallerLeg === 'answered' ? ['来电人已接听，但双方未能接通', 'the caller answered, but the two were never connected'] : null;
  const [zh, en] = unbridged ?? resultWords[result ?? 'failed'] ?? [`呼叫结束（${result}）`, `the call ended (${result})`];
  const leg = lastCallerLeg && lastCallerLeg !== 'answered' ? legWords[lastCallerLeg] : null;
  return `${zh}（${leg ? `${leg[0]}，` : ''}共 ${attempts} 次） / ${en} (${leg ? `${leg[1]}; ` : ''}${attempts} attempt${attempts === 1 ? '' : 's'})`;
}

/**
 * The relay job: tells the tickets capability how a relay call ended, from the request's row in PostgreSQL (the
 * controller's final status reaches it through the journal: until it has, the job throws and is retried).
 * Connected: the reply was told on a recorded call, and the delivery is recorded; anything else fails it with
 * the reason. The tickets side is idempotent, so a repeated job records nothing twice. A refusal (the ticket
 * left feedback, another court's) is final and logged; anything else throws and the job is retried.
 */
export async function reportRelay(db: Db, tickets: RelayTickets, job: RelayJob, log: Logger): Promise<void> {
  const [row] = await db.select().from(outboundRequests).where(eq(outboundRequests.id, job.outboundId));
  if (!row || row.purpose !== 'relay' || !row.ticketId) {
    log.warn({ outboundId: job.outboundId }, 'relay report for no relay call of a ticket: dropped');
    return;
  }
  if (!(over as readonly string[]).includes(row.status)) throw new Error(`relay call ${row.id} is not over in PostgreSQL yet (${row.status}): reported again shortly`);
  const connected = row.result === 'connected';
  let detail = `转告回拨已接通 / relay call connected (${row.id})`;
  if (!connected) {
    const legs = await db.select({ leg: outboundAttempts.leg, outcome: outboundAttempts.outcome, attempt: outboundAttempts.attempt }).from(outboundAttempts).where(eq(outboundAttempts.outboundId, row.id));
    const caller = legs.filter((l) => l.leg === 'caller').sort((a, b) => b.attempt - a.attempt)[0];
    detail = relayFailure(row.result, row.attempts, caller?.outcome ?? null);
  }
  const input = { courtId: row.courtId, ticketId: row.ticketId, outboundId: row.id, deliveryId: row.deliveryId, operatorId: row.requestedBy, connected, detail };
  try {
    const outcome = await tickets.recordPhoneRelay(input);
    log.info({ outboundId: row.id, ticketId: row.ticketId, connected, outcome }, 'relay call reported to the ticket');
  } catch (err) {
    if (isRefusal(err)) {
      log.warn({ outboundId: row.id, ticketId: row.ticketId, code: err.code, err: err.message }, 'relay call not recorded: the ticket refused it');
      return;
    }
    throw err;
  }
}

/**
 * On the controller's start: relay calls that ended in the last `withinMs` are reported again. Their job ids
 * are fixed, so one still kept in Redis is not added twice; one lost with Redis (or never queued: the process
 * stopped first) runs, and the tickets side records nothing twice.
 */
export async function requeueRelayReports(db: Db, scheduler: Pick<OutboundScheduler, 'reportRelay'>, now: number, withinMs: number): Promise<number> {
  const rows = await db
    .select({ id: outboundRequests.id })
    .from(outboundRequests)
    .where(and(eq(outboundRequests.purpose, 'relay'), isNotNull(outboundRequests.ticketId), inArray(outboundRequests.status, [...over]), gte(outboundRequests.finishedAt, new Date(now - withinMs))));
  for (const r of rows) await scheduler.reportRelay(r.id);
  return rows.length;
}
