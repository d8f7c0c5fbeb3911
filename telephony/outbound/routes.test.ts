import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { deliverByPhone } from '../../tickets/testing/phone-delivery.ts';
import { LiveState } from '../acd/live-state.ts';

// The API alone (no controller): requests are checked, written and queued; nothing dials.
const api = await useApi();
let court: SeededCourt;
let other: SeededCourt;
const cookie: Record<string, string> = {};
const actorOf = (c: SeededCourt, key: 'operator' | 'judge' | 'manager'): Actor => ({ userId: c.users[key].id, role: c.users[key].role, courtId: c.courtId, departmentId: c.users[key].departmentId });
const post = (who: string, body: unknown) => call(api.url, 'POST', '/api/telephony/outbound', { cookie: cookie[who], body });

async function ticketIn(c: SeededCourt, stage: 'answer' | 'feedback' | 'callback', callerNumber = '13812340000'): Promise<string> {
  const tickets = serviceOf(api.deps, 'tickets');
  const op = actorOf(c, 'operator');
  const ticket = await tickets.create(op, { summary: '回拨', callerNumber });
  if (stage === 'answer') return ticket.id;
  await tickets.handOff(op, ticket.id, { handlerUserId: c.users.judge.id });
  await tickets.reply(actorOf(c, 'judge'), ticket.id, { text: '已办理' });
  if (stage === 'callback') await deliverByPhone(api.deps.db, tickets, op, ticket.id);
  return ticket.id;
}

async function callRow(c: SeededCourt, outcome: string): Promise<string> {
  const id = randomUUID();
  await api.deps.db.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome)
    values (${id}, ${c.courtId}, ${`ch-${id}`}, '13912345678', '12368', now(), ${outcome}::telephony.call_outcome)`);
  return id;
}

beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  other = await seedCourt(api.deps.db);
  for (const key of ['operator', 'manager', 'judge'] as const) cookie[key] = await sessionCookieFor(api.deps.db, court.users[key].id);
});

describe('POST /api/telephony/outbound', () => {
  it('accepts an operator callback for a missed call: 202, written as scheduled, its first attempt queued', async () => {
    const callId = await callRow(court, 'message_left');
    const res = await post('operator', { purpose: 'missed_call', callId });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ purpose: 'missed_call', mode: 'operator', callId, ticketId: null, operatorId: court.users.operator.id, status: 'scheduled', attempts: 0, maxAttempts: 3, callerNumberMasked: '139****5678', legs: [] });
    const job = await api.deps.queues.queue('telephony-outbound').getJob(`ob-${res.body.id}-1`);
    const [user] = (await api.deps.db.execute<{ sip_endpoint: string }>(sql`select sip_endpoint from platform.users where id = ${court.users.operator.id}`)).rows;
    expect(job?.data).toMatchObject({ attempt: 1, request: { id: res.body.id, number: '13912345678', endpoint: user!.sip_endpoint, requestedBy: { userId: court.users.operator.id, role: 'operator' } } });
    const again = await post('operator', { purpose: 'missed_call', callId });
    expect(again).toMatchObject({ status: 409, body: { code: 'outbound_in_progress' } });
    const view = await call(api.url, 'GET', `/api/telephony/outbound/${res.body.id}`, { cookie: cookie.manager });
    expect(view).toMatchObject({ status: 200, body: { id: res.body.id, status: 'scheduled' } });
  });

  it('a survey for a return visit, asked by a manager without a softphone', async () => {
    const ticketId = await ticketIn(court, 'callback');
    const res = await post('manager', { purpose: 'return_visit', ticketId, mode: 'survey' });
    expect(res).toMatchObject({ status: 202, body: { mode: 'survey', ticketId, status: 'scheduled' } });
  });

  it('refuses what cannot be dialled, with a code and both languages, writing nothing', async () => {
    const answerTicket = await ticketIn(court, 'answer');
    const feedbackTicket = await ticketIn(court, 'feedback');
    const theirs = await ticketIn(other, 'callback');
    const answered = await callRow(court, 'answered');
    const theirCall = await callRow(other, 'callback_requested');
    // Counted after the set-up: a ticket in callback got there on a (written) relay call.
    const before = (await api.deps.db.execute(sql`select count(*)::int as n from telephony.outbound_requests`)).rows[0];
    const cases: Array<[string, unknown, number, string]> = [
      ['operator', { purpose: 'relay', ticketId: feedbackTicket, mode: 'survey' }, 400, 'validation_failed'],
      ['operator', { purpose: 'missed_call' }, 400, 'validation_failed'],
      ['operator', { purpose: 'relay', callId: answered }, 400, 'validation_failed'],
      ['operator', { purpose: 'relay', ticketId: 'not-a-uuid' }, 400, 'validation_failed'],
      ['operator', { purpose: 'relay', ticketId: answerTicket }, 409, 'ticket_not_in_stage'],
      ['operator', { purpose: 'return_visit', ticketId: feedbackTicket }, 409, 'ticket_not_in_stage'],
      ['operator', { purpose: 'return_visit', ticketId: theirs }, 404, 'not_found'],
      ['operator', { purpose: 'missed_call', callId: answered }, 409, 'call_not_callable'],
      ['operator', { purpose: 'missed_call', callId: theirCall }, 404, 'not_found'],
      ['manager', { purpose: 'relay', ticketId: feedbackTicket }, 409, 'no_softphone'],
      ['judge', { purpose: 'relay', ticketId: feedbackTicket }, 403, 'forbidden'],
    ];
    const failures: string[] = [];
    for (const [who, body, status, code] of cases) {
      const res = await post(who, body);
      const shaped = typeof res.body?.message === 'string' && typeof res.body?.message_zh === 'string';
      if (res.status !== status || (code !== 'validation_failed' && res.body?.code !== code) || !shaped) failures.push(`${who} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(failures).toEqual([]);
    expect((await api.deps.db.execute(sql`select count(*)::int as n from telephony.outbound_requests`)).rows[0]).toEqual(before);
  });

  it('refuses an operator whose softphone is ringing or on a call', async () => {
    const live = new LiveState(api.deps.redis, api.prefix);
    await live.register({ userId: court.users.operator.id, courtId: court.courtId, endpoint: 'opX', skills: [] });
    await live.transition(court.users.operator.id, ['logged_out'], 'on_call', { now: Date.now() });
    const res = await post('operator', { purpose: 'relay', ticketId: await ticketIn(court, 'feedback') });
    expect(res).toMatchObject({ status: 409, body: { code: 'operator_busy' } });
    await live.transition(court.users.operator.id, ['on_call'], 'paused', { now: Date.now() });
    expect((await post('operator', { purpose: 'relay', ticketId: await ticketIn(court, 'feedback') })).status).toBe(202);
  });
});

describe('GET /api/telephony/outbound/:id', () => {
  it("another court's request is not found", async () => {
    const otherCookie = await sessionCookieFor(api.deps.db, other.users.manager.id);
    const ticketId = await ticketIn(court, 'callback');
    const res = await post('manager', { purpose: 'return_visit', ticketId, mode: 'survey' });
    expect((await call(api.url, 'GET', `/api/telephony/outbound/${res.body.id}`, { cookie: otherCookie })).status).toBe(404);
  });
});
