import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { reportRelay, requeueRelayReports } from './relay-report.ts';
import { OutboundScheduler } from './scheduler.ts';
import { useOutboundOverSim } from './testing/outbound-over-sim.ts';

// The phone relay end to end over the ARI stand-in: one process with the api, telephony and workers roles (the
// tickets' feedback worker files relay calls; the controller dials; the relay job records the result).
const t = await useOutboundOverSim({ HOTLINE_ROLES: 'api,telephony,workers' });

async function desk(endpoint: string) {
  const operatorId = await t.addOperator(endpoint);
  return { operatorId, cookie: await t.cookieFor(operatorId), actor: t.operatorActor(operatorId) };
}

const deliveriesOf = async (ticketId: string) =>
  (await t.pgc.query(`select id, channel, status, detail, outbound_id, actor_id from tickets.deliveries where ticket_id = $1 order by created_at`, [ticketId])).rows;
const eventsOf = async (ticketId: string) => (await t.pgc.query(`select action, actor_role, after from tickets.ticket_events where ticket_id = $1 order by id`, [ticketId])).rows;
const stageOf = async (ticketId: string) => (await t.ticket(ticketId)).stage as string;

/** The caller answers, talks, and hangs up: the relay call ends connected. */
async function answeredRelay(endpoint: string, id: string) {
  await t.sim.waitFor('StasisStart', (e: any) => e.channel?.id === `ob-${id}-1-cl`, { includePast: true, timeoutMs: 8000 });
  await expect.poll(() => t.sim.bridges().find((b) => b.id === `ob-${id}-1-br`)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
  t.sim.endpoint('trunk').hangup();
}

describe('a relay call records the delivery from its recorded result', () => {
  it('connected (the console\'s call-back button): the ticket moves to 回访 by the system, with the call as evidence, once', async () => {
    const d = await desk('op8301');
    t.sim.endpoint('op8301').answerAfter(50);
    t.sim.endpoint('trunk').answerAfter(100);
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008301');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'relay', ticketId });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    await answeredRelay('op8301', id);
    expect(await t.settled(d.cookie, id, ['completed'])).toMatchObject({ result: 'connected' });

    await expect.poll(() => stageOf(ticketId), { timeout: 10_000 }).toBe('callback');
    const rows = await deliveriesOf(ticketId);
    expect(rows).toEqual([expect.objectContaining({ channel: 'phone', status: 'delivered', outbound_id: id, actor_id: d.operatorId })]);
    const recorded = (await eventsOf(ticketId)).filter((e) => e.action === 'record_delivery');
    expect(recorded).toEqual([expect.objectContaining({ actor_role: 'system', after: expect.objectContaining({ outboundId: id, deliveryId: rows[0].id, deliveryChannel: 'phone' }) })]);

    // The job again (a retry after a crash, or the start-up sweep): nothing is recorded twice.
    await reportRelay(t.hotline.deps.db, serviceOf(t.hotline.deps, 'tickets'), { outboundId: id }, t.hotline.deps.logger);
    expect(await requeueRelayReports(t.hotline.deps.db, new OutboundScheduler(t.hotline.deps.queues), Date.now(), 3_600_000)).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 500));
    expect((await eventsOf(ticketId)).filter((e) => e.action === 'record_delivery')).toHaveLength(1);
    expect(await deliveriesOf(ticketId)).toHaveLength(1);
  });

  it('the caller busy on every attempt: a failed relay with the reason, the ticket stays in 反馈', async () => {
    const d = await desk('op8302');
    t.sim.endpoint('op8302').answerAfter(50);
    t.sim.endpoint('trunk').busy();
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008302');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'relay', ticketId });
    const view = await t.settled(d.cookie, accepted.body.id, ['unreachable'], 20_000);
    expect(view).toMatchObject({ result: 'caller_not_reached', attempts: 3 });
    await expect.poll(async () => (await deliveriesOf(ticketId))[0]?.status, { timeout: 10_000 }).toBe('failed');
    expect((await deliveriesOf(ticketId))[0].detail).toBe('未接通来电人（忙线，共 3 次） / the caller was not reached (busy; 3 attempts)');
    expect(await stageOf(ticketId)).toBe('feedback');
    expect((await eventsOf(ticketId)).some((e) => e.action === 'record_delivery')).toBe(false);
  });

  it('an operator who does not answer their softphone: failed, and said so', async () => {
    const d = await desk('op8303');
    t.sim.endpoint('op8303').noAnswer();
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008303');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'relay', ticketId });
    await t.settled(d.cookie, accepted.body.id, ['failed']);
    await expect.poll(async () => (await deliveriesOf(ticketId))[0]?.detail, { timeout: 10_000 }).toBe('话务员未接听自己的软电话（共 1 次） / the operator did not answer their softphone (1 attempt)');
    expect(await stageOf(ticketId)).toBe('feedback');
  });
});

describe("the tickets' own phone relay (POST /api/tickets/:id/relay by phone) goes through the real dialler", () => {
  it('files an outbound request as the operator, linked to the delivery; the connected call delivers it', async () => {
    const d = await desk('op8311');
    t.sim.endpoint('op8311').answerAfter(50);
    t.sim.endpoint('trunk').answerAfter(100);
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008311');
    const relayed = await call(t.url, 'POST', `/api/tickets/${ticketId}/relay`, { cookie: d.cookie, body: { channel: 'phone' } });
    expect(relayed.status).toBe(200);
    await expect.poll(async () => (await deliveriesOf(ticketId))[0]?.status, { timeout: 10_000 }).toBe('sent');
    const [delivery] = await deliveriesOf(ticketId);
    const id = delivery.outbound_id as string;
    expect(await t.view(d.cookie, id)).toMatchObject({ purpose: 'relay', mode: 'operator', ticketId, deliveryId: delivery.id, operatorId: d.operatorId });
    // A second relay while this call is under way is refused, by tickets and by telephony alike.
    expect((await call(t.url, 'POST', `/api/tickets/${ticketId}/relay`, { cookie: d.cookie, body: { channel: 'phone' } })).body.code).toBe('phone_relay_pending');
    // (the softphone is ringing, so telephony says so first)
    expect((await t.requestCallback(d.cookie, { purpose: 'relay', ticketId })).body.code).toBe('operator_busy');

    await answeredRelay('op8311', id);
    await expect.poll(() => stageOf(ticketId), { timeout: 10_000 }).toBe('callback');
    expect(await deliveriesOf(ticketId)).toEqual([expect.objectContaining({ id: delivery.id, status: 'delivered', outbound_id: id })]);
    // Filing it again (a deliver job retried after a crash) finds the same call: never a second one.
    const again = await serviceOf(t.hotline.deps, 'callbackDialer').dial({ ticketId, deliveryId: delivery.id, courtId: t.courtId, requestedBy: d.actor });
    expect(again).toMatchObject({ placed: true, outboundId: id });
    expect((await t.pgc.query(`select count(*)::int as n from telephony.outbound_requests where ticket_id = $1`, [ticketId])).rows[0].n).toBe(1);
  });

  it('an operator without a softphone: the delivery fails with that reason, nothing is dialled', async () => {
    const d = await desk('op8312');
    await t.pgc.query(`update platform.users set sip_endpoint = null where id = $1`, [d.operatorId]);
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008312');
    expect((await call(t.url, 'POST', `/api/tickets/${ticketId}/relay`, { cookie: d.cookie, body: { channel: 'phone' } })).status).toBe(200);
    await expect.poll(async () => (await deliveriesOf(ticketId))[0]?.status, { timeout: 10_000 }).toBe('failed');
    const [delivery] = await deliveriesOf(ticketId);
    expect(delivery.detail).toBe('您没有配置软电话分机，无法回拨 / you have no softphone endpoint (users.sip_endpoint) to call back from (no_softphone)');
    expect(delivery.outbound_id).toBeNull();
    expect((await t.pgc.query(`select count(*)::int as n from telephony.outbound_requests where ticket_id = $1`, [ticketId])).rows[0].n).toBe(0);
    expect(await stageOf(ticketId)).toBe('feedback');
  });

  it('"delivered by phone" typed in without a call is refused over HTTP in Chinese and English', async () => {
    const d = await desk('op8313');
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008313');
    const typed = await call(t.url, 'POST', `/api/tickets/${ticketId}/delivery`, { cookie: d.cookie, body: { channel: 'phone', delivered: true } });
    expect(typed.status).toBe(409);
    expect(typed.body).toMatchObject({ code: 'phone_delivery_needs_call', message: expect.stringContaining('recorded call'), message_zh: expect.stringContaining('通话记录') });
    const other = await call(t.url, 'POST', `/api/tickets/${ticketId}/delivery`, { cookie: d.cookie, body: { channel: 'phone', delivered: true, outboundId: randomUUID() } });
    expect([other.status, other.body.code]).toEqual([409, 'phone_delivery_unknown_call']);
    expect(await stageOf(ticketId)).toBe('feedback');
  });
});

describe('relay results that did not reach the ticket', () => {
  /** A relay call's row as the controller leaves it (through the journal), in `status`. */
  async function relayRow(ticketId: string, operatorId: string, status: string, result: string | null): Promise<string> {
    const id = randomUUID();
    await t.pgc.query(
      `insert into telephony.outbound_requests (id, court_id, purpose, mode, ticket_id, number, requested_by, requested_at, status, attempts, result, finished_at, updated_at)
       values ($1, $2, 'relay', 'operator', $3, '13800008321', $4, now(), $5::telephony.outbound_status, 1, $6, case when $5::text in ('completed', 'unreachable', 'failed') then now() end, now())`,
      [id, t.courtId, ticketId, operatorId, status, result],
    );
    return id;
  }

  it('a result whose job was lost (Redis lost, or the process stopped first) is reported again by the start-up sweep', async () => {
    const d = await desk('op8321');
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008321');
    const id = await relayRow(ticketId, d.operatorId, 'completed', 'connected');
    expect(await requeueRelayReports(t.hotline.deps.db, new OutboundScheduler(t.hotline.deps.queues), Date.now(), 3_600_000)).toBeGreaterThanOrEqual(1);
    await expect.poll(() => stageOf(ticketId), { timeout: 10_000 }).toBe('callback');
    expect(await deliveriesOf(ticketId)).toEqual([expect.objectContaining({ status: 'delivered', outbound_id: id })]);
  });

  it('a job that runs before the final status reached PostgreSQL is retried until it has', async () => {
    const d = await desk('op8322');
    const ticketId = await t.ticketIn('feedback', d.actor, '13800008322');
    const id = await relayRow(ticketId, d.operatorId, 'dialling', null);
    await new OutboundScheduler(t.hotline.deps.queues).reportRelay(id);
    await new Promise((r) => setTimeout(r, 700));
    expect(await deliveriesOf(ticketId)).toEqual([]);
    await t.pgc.query(`update telephony.outbound_requests set status = 'completed', result = 'connected', finished_at = now() where id = $1`, [id]);
    await expect.poll(() => stageOf(ticketId), { timeout: 15_000 }).toBe('callback');
  });
});
