import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { maskPhone } from '../../platform/masking.ts';
import { publishEvent } from '../realtime-events.ts';
import { claimCovers, dropStaleClaims, linkClaimToTicket, lockCallerDay, standingClaim, undoClaim, usableNumber as usable } from './claims.ts';
import type { UnownedTicketPort } from './service.ts';
import { unownedClaims } from './unowned.sql.ts';

/**
 * An automatic callback that reached the caller makes its operator the first-contact owner, as a claim would: a claim
 * row for the caller's tries up to the call it was started for, and a ticket the operator owns (tickets' `create`,
 * audited as theirs) to register what the caller wanted. Skipped when a standing claim of the caller that day (an
 * operator's, made through any try) already covers that call; the check and the insert run under the caller-and-day
 * lock the operators' claims take (claims.ts). Idempotent: run on every round of the dialler; a ticket that could not
 * be made is tried again on the next (a claim left without one is void after claimStaleMs). Resolves with the
 * tickets made.
 */
export async function settleReachedCallbacks(d: { db: Db; tickets: Pick<UnownedTicketPort, 'create'>; events: EventBus; logger: Logger; now: () => number }): Promise<number> {
  const now = d.now();
  const { rows } = await d.db.execute<{ outbound_id: string; court_id: string; caller_number: string; day: string; call_id: string; operator_id: string; through: string | Date; tries: number }>(sql`
    select ac.outbound_id, ac.court_id, ac.caller_number, ac.day::text as day, ac.call_id, ac.operator_id, c.arrived_at as through,
           (select count(*)::int from telephony.calls t
             where t.court_id = ac.court_id and t.caller_number = ac.caller_number and t.outcome in ('abandoned_in_queue', 'abandoned_in_menu')
               and t.arrived_at >= (ac.day::timestamp at time zone 'Asia/Shanghai') and t.arrived_at <= c.arrived_at) as tries
      from telephony.auto_callbacks ac
      join telephony.outbound_requests o on o.id = ac.outbound_id
      join telephony.calls c on c.id = ac.call_id
     where o.result = 'connected' and ac.started_at > ${new Date(d.now() - 2 * 86_400_000).toISOString()}::timestamptz
       and not exists (select 1 from telephony.unowned_claims k
                        where k.court_id = ac.court_id and k.caller_number = ac.caller_number and k.day = ac.day
                          and k.through >= c.arrived_at and ${standingClaim('k', now)})`);
  let made = 0;
  for (const r of rows) {
    // Never dialled (auto-callback.ts), but a withheld number is no one in particular: nothing to settle.
    if (!usable(r.caller_number)) continue;
    const through = new Date(r.through);
    const inserted = await d.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      await lockCallerDay(tx, r.court_id, r.caller_number, r.day);
      // An operator claimed the caller meanwhile (through this try or a later one): theirs stands.
      if (await claimCovers(tx, { courtId: r.court_id, callerNumber: r.caller_number, day: r.day, at: through, now })) return [];
      await dropStaleClaims(tx, { courtId: r.court_id, callerNumber: r.caller_number, day: r.day, now });
      return tx
        .insert(unownedClaims)
        .values({ callId: r.call_id, courtId: r.court_id, callerNumber: r.caller_number, day: r.day, through, tries: r.tries, claimedBy: r.operator_id, claimedAt: new Date(now) })
        .onConflictDoNothing()
        .returning({ callId: unownedClaims.callId });
    });
    if (inserted.length === 0) continue;
    const operator = { userId: r.operator_id, role: 'operator' as const, courtId: r.court_id, departmentId: null };
    const claim = { callId: r.call_id, claimedBy: r.operator_id, claimedAt: new Date(now) };
    let ticketId: string | undefined;
    try {
      const ticket = await d.tickets.create(operator, {
        summary: `来电放弃后自动回拨已接通（${r.tries} 次），待登记`,
        category: 'enquiry',
        ...(usable(r.caller_number) ? { callerNumber: r.caller_number } : {}),
        callId: r.call_id,
      });
      ticketId = ticket.id;
      await linkClaimToTicket(d.db, claim, ticket.id, d.logger);
    } catch (err) {
      await undoClaim(d.db, claim, ticketId, err, d.logger);
      if (!ticketId) {
        d.logger.warn({ err: (err as Error).message, outboundId: r.outbound_id, caller: maskPhone(r.caller_number) }, 'could not make the ticket of a caller reached by automatic callback: trying again next round');
        continue;
      }
    }
    await publishEvent(d.events, {
      type: 'unowned.claimed',
      courtId: r.court_id,
      audience: { roles: ['operator', 'manager'] },
      data: { key: `abandoned:${r.call_id}`, kind: 'abandoned', ticketId, claimedBy: r.operator_id },
    }).catch(() => undefined);
    made += 1;
  }
  return made;
}
