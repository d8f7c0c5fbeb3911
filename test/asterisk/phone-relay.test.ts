import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { realAsteriskMissing } from './asterisk-instance.ts';
import { sipPasswordOf, useRealHotline, type RealHotline } from './real-hotline.ts';
import { keyingPhone, phone, register, type SippRun } from './sipp.ts';

/**
 * The phone relay (反馈) and the return-visit voice survey (回访) against a real Asterisk 22, with the hotline's
 * api, telephony and workers roles in this process. sipp plays the operator's phone (plain RTP) and the caller
 * called back through the trunk, who answers and, a moment later, presses 1 as RFC 4733 telephone-events. The
 * ticket's reply is relayed by phone (the tickets' relay through the real dialler), the recorded call moves it to
 * the return visit, and the voice survey records the caller's key as the return visit. Skipped like the rest of
 * test/asterisk/ without asterisk and sipp.
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/phone-relay.test.ts skipped: ${missing}`);

const operator = 'op3101';
const callerNumber = '13800003101';

describe.skipIf(missing !== undefined)('phone relay and voice survey against a real Asterisk 22', async () => {
  const running: SippRun[] = [];
  afterAll(() => running.forEach((r) => r.stop()));
  // The caller's phone, where the trunk sends the calls back (the dial string names its port): it answers, keys 1
  // after 3 s (during the survey's greeting, which keys may interrupt), and hangs up itself after 7 s more unless
  // the hotline hangs up first (the survey's thanks).
  const callerPhone = missing ? (undefined as never) : await keyingPhone({ ringMs: 300, keys: [{ afterMs: 3000, digits: '1' }], stayMs: 7000 });
  if (!missing) running.push(callerPhone);
  const h = missing
    ? (undefined as unknown as RealHotline)
    : await useRealHotline({
        operators: [operator],
        desks: { judgeR: '8201' },
        operatorMedia: 'rtp',
        env: () => ({
          HOTLINE_ROLES: 'api,telephony,workers',
          TELEPHONY_TRUNK_DIAL: `PJSIP/trunk/sip:{number}@127.0.0.1:${callerPhone.port}`,
          TELEPHONY_OUTBOUND_RING_SECONDS: '15',
          TELEPHONY_OUTBOUND_ATTEMPTS: '1',
          LOG_LEVEL: 'warn',
        }),
      });

  it("relays the reply on a recorded call (the operator's phone, then the caller, bridged), then the caller keys 1 in the voice survey", async () => {
    // The operator's phone: registered with its generated password, answers after 300 ms.
    const operatorPhone = await phone('answer', { ringMs: 300 });
    running.push(operatorPhone);
    await register(h.asterisk, { user: operator, password: await sipPasswordOf(h, operator), contactPort: operatorPhone.port });

    const departmentId = randomUUID();
    await h.pgc.query(`insert into platform.departments (id, court_id, name) values ($1, $2, '立案庭')`, [departmentId, h.courtId]);
    await h.pgc.query(`update platform.users set department_id = $1 where id = $2`, [departmentId, h.users.judgeR]);
    const op: Actor = { userId: h.users[operator]!, role: 'operator', courtId: h.courtId, departmentId: null };
    const judge: Actor = { userId: h.users.judgeR!, role: 'judge', courtId: h.courtId, departmentId };
    const tickets = serviceOf(h.hotline!.deps, 'tickets');
    const ticket = await tickets.create(op, { summary: '询问开庭时间', callerNumber });
    await tickets.handOff(op, ticket.id, { handlerUserId: judge.userId });
    await tickets.reply(judge, ticket.id, { text: '已定于下周三开庭' });
    const cookie = await sessionCookieFor(h.hotline!.deps.db, op.userId);
    const state = async () => (await h.pgc.query(`select stage, delivery_channel, satisfaction, callback_resolved from tickets.tickets where id = $1`, [ticket.id])).rows[0];

    // 反馈: relayed by phone through the real dialler; the recorded call (caller answered, bridged to the operator,
    // the caller hung up) records the delivery.
    const relayed = await call(h.hotline!.url, 'POST', `/api/tickets/${ticket.id}/relay`, { cookie, body: { channel: 'phone' } });
    expect(relayed.status).toBe(200);
    await expect.poll(state, { timeout: 45_000, interval: 250 }).toMatchObject({ stage: 'callback', delivery_channel: 'phone' });
    const [delivery] = (await h.pgc.query(`select status, outbound_id from tickets.deliveries where ticket_id = $1`, [ticket.id])).rows;
    expect(delivery.status).toBe('delivered');
    const relay = (await h.pgc.query(`select purpose, mode, status, result from telephony.outbound_requests where id = $1`, [delivery.outbound_id])).rows[0];
    expect(relay).toEqual({ purpose: 'relay', mode: 'operator', status: 'completed', result: 'connected' });
    const legsOf = async (id: string) => (await h.pgc.query(`select leg, outcome, answered_at is not null as answered from telephony.outbound_attempts where outbound_id = $1 order by started_at`, [id])).rows;
    expect(await legsOf(delivery.outbound_id)).toEqual([
      { leg: 'operator', outcome: 'answered', answered: true },
      { leg: 'caller', outcome: 'answered', answered: true },
    ]);
    const recorded = (await h.pgc.query(`select actor_role, after from tickets.ticket_events where ticket_id = $1 and action = 'record_delivery'`, [ticket.id])).rows;
    expect(recorded).toEqual([expect.objectContaining({ actor_role: 'system', after: expect.objectContaining({ outboundId: delivery.outbound_id }) })]);
    await expect.poll(async () => (await h.ari('/channels')).length, { timeout: 15_000 }).toBe(0);

    // 回访: the voice survey calls the caller, who keys 1 (satisfied) during the greeting; the survey thanks them,
    // hangs up, and the answer is recorded on the ticket as its return visit.
    const survey = await call(h.hotline!.url, 'POST', '/api/telephony/outbound', { cookie, body: { purpose: 'return_visit', mode: 'survey', ticketId: ticket.id } });
    expect(survey.status).toBe(202);
    await expect.poll(state, { timeout: 60_000, interval: 250 }).toMatchObject({ stage: 'closed', satisfaction: 'satisfied', callback_resolved: true });
    // (The answer is on the ticket as soon as it is keyed; the call ends after the thanks.)
    const surveyed = async () => (await h.pgc.query(`select status, result, satisfaction from telephony.outbound_requests where id = $1`, [survey.body.id])).rows[0];
    await expect.poll(surveyed, { timeout: 20_000, interval: 250 }).toEqual({ status: 'completed', result: 'surveyed', satisfaction: 'satisfied' });
    expect(await legsOf(survey.body.id)).toEqual([{ leg: 'caller', outcome: 'answered', answered: true }]);
    await expect.poll(async () => (await h.ari('/channels')).length, { timeout: 15_000 }).toBe(0);
  }, 150_000);
});
