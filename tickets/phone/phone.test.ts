import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { ticketEvents } from '../audit.sql.ts';
import { deliverFeedback } from '../jobs.ts';
import { deliveries } from '../outbox.sql.ts';
import type { PhoneRelayFiled, PhoneRelayRequest } from '../ports.ts';
import type { TicketService } from '../service.ts';
import { connectedRelayCall } from '../testing/phone-delivery.ts';
import { eventually, seedCourt, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from '../testing/harness.ts';
import { tickets } from '../tickets.sql.ts';
import { sameNumber } from './rules.ts';

// The tickets side of the phone relay, on a real database and Redis. Telephony's dialler is stood in for by a
// scripted port (its real one is tested in telephony/outbound/relay.test.ts); its call records are the real
// tables, read through telephony's own evidence reader (testing/harness.ts).
let database: Database;
let court: Court;
let other: Court;
let h: TicketsHarness;
let service: TicketService;
const asked: PhoneRelayRequest[] = [];
let dial: (r: PhoneRelayRequest) => Promise<PhoneRelayFiled> = async () => ({ placed: false, detail: 'not scripted' });

beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database, 'J0811');
  other = await seedCourt(database, 'J0802');
  h = await useTicketsRuntime(database, {
    dialer: {
      dial: (r) => {
        asked.push(r);
        return dial(r);
      },
    },
  });
  service = h.runtime.service;
});

const caller = '13912345678';

/** A ticket whose handler replied: in 反馈, owned by the operator. */
async function replied(number = caller) {
  const ticket = await service.create(court.operator, { summary: '电话转告测试', callerNumber: number });
  await service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
  await service.reply(court.judge, ticket.id, { text: '已依法办理' });
  return ticket;
}

/** An inbound call row as telephony's journal writes it. */
async function inboundCall(c: Court, number: string, answeredAt: Date | null, arrivedAt = new Date(Date.now() - 60_000)): Promise<string> {
  const id = randomUUID();
  await database.db.execute(sql`
    insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, answered_at, answered_by)
    values (${id}, ${c.courtId}, ${`ch-${id.slice(0, 8)}`}, ${number}, '12368', ${arrivedAt.toISOString()}::timestamptz, ${answeredAt?.toISOString() ?? null}::timestamptz, ${answeredAt ? c.operator.userId : null})`);
  return id;
}

/** A relay call as the controller leaves it, with the given result, requested `agoMs` before now. */
async function relayCall(ticketId: string, result: string, c: Court = court, agoMs = 0): Promise<string> {
  const id = randomUUID();
  const at = new Date(Date.now() - agoMs).toISOString();
  await database.db.execute(sql`
    insert into telephony.outbound_requests (id, court_id, purpose, mode, ticket_id, number, requested_by, requested_at, status, attempts, result, finished_at, updated_at)
    values (${id}, ${c.courtId}, 'relay', 'operator', ${ticketId}, ${caller}, ${c.operator.userId}, ${at}::timestamptz, ${result === 'connected' ? 'completed' : 'unreachable'}, 1, ${result}::telephony.outbound_result, now(), now())`);
  return id;
}

async function refusal(work: Promise<unknown>): Promise<HotlineError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HotlineError);
  const e = err as HotlineError;
  expect(e.messageZh.length).toBeGreaterThan(0);
  expect(e.message.length).toBeGreaterThan(0);
  return e;
}

const stageOf = async (id: string) => (await database.db.select({ stage: tickets.stage }).from(tickets).where(eq(tickets.id, id)))[0]!.stage;
const eventsOf = async (id: string) => database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id)).orderBy(asc(ticketEvents.id));
const deliveriesOf = async (id: string) => database.db.select().from(deliveries).where(eq(deliveries.ticketId, id)).orderBy(asc(deliveries.createdAt));

describe('phone delivery by hand: only with a recorded call that proves it', () => {
  it('is refused (409, Chinese and English) without a call, and nothing changes', async () => {
    const ticket = await replied();
    const err = await refusal(service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: true, note: '已电话告知' }));
    expect([err.httpStatus, err.code]).toEqual([409, 'phone_delivery_needs_call']);
    expect(await stageOf(ticket.id)).toBe('feedback');
    expect((await eventsOf(ticket.id)).map((e) => e.action)).toEqual(['create', 'hand_off', 'reply']);
    expect(await deliveriesOf(ticket.id)).toEqual([]);
    // Another court's ticket stays "not found", whatever is named.
    expect((await refusal(service.recordDelivery(other.operator, ticket.id, { channel: 'phone', delivered: true }))).code).toBe('not_found');
    // "Could not reach" is recorded as said: a failure counts for nothing.
    await service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: false, note: '无人接听' });
    expect(await stageOf(ticket.id)).toBe('feedback');
  });

  it('refuses a call that does not prove it: unknown, another court, unanswered, another number, before the reply', async () => {
    const intakeCall = await inboundCall(court, caller, new Date(Date.now() - 50_000));
    const ticket = await replied();
    const named = async (callId: string) => (await refusal(service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: true, callId }))).code;
    expect(await named(randomUUID())).toBe('phone_delivery_unknown_call');
    expect(await named(await inboundCall(other, caller, new Date()))).toBe('phone_delivery_unknown_call');
    expect(await named(await inboundCall(court, caller, null))).toBe('phone_delivery_not_answered');
    expect(await named(await inboundCall(court, '13800000000', new Date()))).toBe('phone_delivery_other_number');
    // The call the ticket was registered from was answered, from the same number, but before the reply existed.
    expect(await named(intakeCall)).toBe('phone_delivery_before_reply');
    expect(await stageOf(ticket.id)).toBe('feedback');
    expect(await deliveriesOf(ticket.id)).toEqual([]);
    // Both named at once is bad input.
    const both = await refusal(service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: true, callId: intakeCall, outboundId: randomUUID() }));
    expect(both.code).toBe('invalid_input');
  });

  it('records it on an answered call from the caller after the reply, keeping the call as evidence', async () => {
    const ticket = await replied();
    // The caller rang back (their number as the trunk gives it) and the operator told them.
    const callId = await inboundCall(court, `+86 ${caller}`, new Date(Date.now() + 1000), new Date(Date.now() + 500));
    const done = await service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: true, callId, note: '来电时已告知' });
    expect(done).toMatchObject({ stage: 'callback', deliveryChannel: 'phone' });
    const [row] = await deliveriesOf(ticket.id);
    expect(row).toMatchObject({ channel: 'phone', status: 'delivered', callId, outboundId: null, actorId: court.operator.userId });
    const last = (await eventsOf(ticket.id)).at(-1)!;
    expect(last).toMatchObject({ action: 'record_delivery', actorId: court.operator.userId });
    expect(last.after).toMatchObject({ deliveryId: row!.id, callId });
  });

  it('records it on a connected relay call of this ticket only; the call reported later changes nothing', async () => {
    const ticket = await replied();
    const elsewhere = await replied();
    const unreached = await relayCall(ticket.id, 'caller_not_reached');
    const notMine = await relayCall(elsewhere.id, 'connected');
    const named = async (outboundId: string) => (await refusal(service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: true, outboundId }))).code;
    expect(await named(unreached)).toBe('phone_delivery_not_connected');
    expect(await named(notMine)).toBe('phone_delivery_unknown_call');
    expect(await named(await relayCall(ticket.id, 'connected', other))).toBe('phone_delivery_unknown_call');
    // A connected call made before this reply (a reopened ticket's earlier round) did not tell it.
    expect(await named(await relayCall(ticket.id, 'connected', court, 3_600_000))).toBe('phone_delivery_before_reply');
    const connected = await relayCall(ticket.id, 'connected');
    expect(await service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: true, outboundId: connected })).toMatchObject({ stage: 'callback' });
    const report = { courtId: court.courtId, ticketId: ticket.id, outboundId: connected, deliveryId: null, operatorId: court.operator.userId, connected: true, detail: 'connected' };
    expect(await service.recordPhoneRelay(report)).toBe('already_applied');
    expect((await eventsOf(ticket.id)).filter((e) => e.action === 'record_delivery')).toHaveLength(1);
    expect(await deliveriesOf(ticket.id)).toHaveLength(1);
  });

  it('an SMS is still never delivered by hand', async () => {
    const ticket = await replied();
    expect((await refusal(service.recordDelivery(court.operator, ticket.id, { channel: 'sms', delivered: true }))).code).toBe('sms_delivery_by_receipt');
  });

  it('numbers match as telephony and people write them', () => {
    expect(sameNumber('+86 139-1234-5678', '13912345678')).toBe(true);
    expect(sameNumber('008613912345678', '13912345678')).toBe(true);
    expect(sameNumber('010-6512 3456', '01065123456')).toBe(true);
    expect(sameNumber('13912345679', '13912345678')).toBe(false);
    expect(sameNumber('', '')).toBe(false);
    expect(sameNumber(null, '13912345678')).toBe(false);
  });
});

describe('the relay call reported by telephony', () => {
  const report = (ticketId: string, outboundId: string, connected: boolean, deliveryId: string | null = null) => ({
    courtId: court.courtId,
    ticketId,
    outboundId,
    deliveryId,
    operatorId: court.operator.userId,
    connected,
    detail: connected ? '转告回拨已接通 / relay call connected' : '未接通来电人（忙线，共 3 次） / the caller was not reached (busy; 3 attempts)',
  });

  it('connected (a call from the console): the delivery is recorded by the system with the call, once', async () => {
    const ticket = await replied();
    const outboundId = await relayCall(ticket.id, 'connected');
    expect(await service.recordPhoneRelay(report(ticket.id, outboundId, true))).toBe('delivered');
    expect(await service.recordPhoneRelay(report(ticket.id, outboundId, true))).toBe('already_applied');
    expect(await stageOf(ticket.id)).toBe('callback');
    const recorded = (await eventsOf(ticket.id)).filter((e) => e.action === 'record_delivery');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ actorRole: 'system' });
    expect(recorded[0]!.after).toMatchObject({ outboundId, deliveryChannel: 'phone' });
    expect(await deliveriesOf(ticket.id)).toEqual([expect.objectContaining({ channel: 'phone', status: 'delivered', outboundId, actorId: court.operator.userId })]);
  });

  it('a report that says connected where the call record does not is refused, and nothing is written', async () => {
    const ticket = await replied();
    const outboundId = await relayCall(ticket.id, 'caller_not_reached');
    expect((await refusal(service.recordPhoneRelay(report(ticket.id, outboundId, true)))).code).toBe('phone_delivery_not_connected');
    expect(await stageOf(ticket.id)).toBe('feedback');
    expect(await deliveriesOf(ticket.id)).toEqual([]);
  });

  it('not reached: the relay failed with the reason, the ticket stays in 反馈 and its owner is told', async () => {
    const ticket = await replied();
    const outboundId = await relayCall(ticket.id, 'caller_not_reached');
    expect(await service.recordPhoneRelay(report(ticket.id, outboundId, false))).toBe('failed');
    expect(await service.recordPhoneRelay(report(ticket.id, outboundId, false))).toBe('already_applied');
    expect(await stageOf(ticket.id)).toBe('feedback');
    expect(await deliveriesOf(ticket.id)).toEqual([expect.objectContaining({ status: 'failed', outboundId, detail: expect.stringContaining('the caller was not reached (busy; 3 attempts)') })]);
    const notice = await eventually(() => h.events.find((e) => e.type === 'ticket.relay_failed' && (e.data as { ticketId: string }).ticketId === ticket.id), 5000, 'owner told');
    expect(notice.audience.userIds).toEqual([court.operator.userId]);
    expect(notice.data).toMatchObject({ channel: 'phone', detail: expect.stringContaining('未接通来电人') });
  });
});

describe("the tickets' own phone relay goes through the dialler", () => {
  const rowOf = async (deliveryId: string) => (await database.db.select().from(deliveries).where(eq(deliveries.id, deliveryId)))[0]!;

  it('files the call as the operator who asked, keeps the call on the delivery, and its result settles it', async () => {
    const ticket = await replied();
    const outboundId = randomUUID();
    dial = async () => ({ placed: true, outboundId, detail: 'relay call filed' });
    const { deliveryId } = await service.relayFeedback(court.operator, ticket.id, { channel: 'phone' });
    const sent = await eventually(async () => ((await rowOf(deliveryId)).status === 'sent' ? rowOf(deliveryId) : undefined), 5000, 'call filed');
    expect(sent).toMatchObject({ outboundId, channel: 'phone', detail: 'relay call filed' });
    expect(asked.find((r) => r.deliveryId === deliveryId)).toEqual({ ticketId: ticket.id, deliveryId, courtId: court.courtId, requestedBy: court.operator });
    // A second relay while this one is under way is refused.
    expect((await refusal(service.relayFeedback(court.operator, ticket.id, { channel: 'phone' }))).code).toBe('phone_relay_pending');
    // A repeated deliver job does not dial again.
    const before = asked.length;
    expect(await deliverFeedback(h.runtime.context, { sms: undefined, dialer: { dial } }, { ticketId: ticket.id, deliveryId })).toBe('already_applied');
    expect(asked.length).toBe(before);
    // The call connected: telephony's record of it (as the controller writes it) and its report.
    await database.db.execute(sql`
      insert into telephony.outbound_requests (id, court_id, purpose, mode, ticket_id, delivery_id, number, requested_by, requested_at, status, attempts, result, finished_at, updated_at)
      values (${outboundId}, ${court.courtId}, 'relay', 'operator', ${ticket.id}, ${deliveryId}, ${caller}, ${court.operator.userId}, now(), 'completed', 1, 'connected', now(), now())`);
    expect(await service.recordPhoneRelay({ courtId: court.courtId, ticketId: ticket.id, outboundId, deliveryId, operatorId: court.operator.userId, connected: true, detail: 'connected' })).toBe('delivered');
    expect(await rowOf(deliveryId)).toMatchObject({ status: 'delivered', outboundId });
    expect(await stageOf(ticket.id)).toBe('callback');
    expect(await deliveriesOf(ticket.id)).toHaveLength(1);
  });

  it('a call that ends before the worker recorded it as filed still settles its own row', async () => {
    const ticket = await replied();
    const [row] = await database.db.insert(deliveries).values({ ticketId: ticket.id, channel: 'phone', status: 'requested', actorId: court.operator.userId }).returning();
    const outboundId = await relayCall(ticket.id, 'caller_not_reached');
    const result = { courtId: court.courtId, ticketId: ticket.id, outboundId, deliveryId: row!.id, operatorId: court.operator.userId, connected: false, detail: 'not reached' };
    expect(await service.recordPhoneRelay(result)).toBe('failed');
    expect(await rowOf(row!.id)).toMatchObject({ status: 'failed', outboundId, detail: 'not reached' });
    // The worker's late "filed" finds it settled and leaves it.
    dial = async () => ({ placed: true, outboundId, detail: 'filed' });
    expect(await deliverFeedback(h.runtime.context, { sms: undefined, dialer: { dial } }, { ticketId: ticket.id, deliveryId: row!.id })).toBe('already_applied');
    expect(await rowOf(row!.id)).toMatchObject({ status: 'failed' });
  });

  it('a refusal (no softphone) fails the delivery with its reason and tells the owner; nothing is silent', async () => {
    const ticket = await replied();
    dial = async () => ({ placed: false, detail: '您没有配置软电话分机，无法回拨 / you have no softphone endpoint (no_softphone)' });
    const { deliveryId } = await service.relayFeedback(court.operator, ticket.id, { channel: 'phone' });
    const failed = await eventually(async () => ((await rowOf(deliveryId)).status === 'failed' ? rowOf(deliveryId) : undefined), 5000, 'relay failed');
    expect(failed.detail).toContain('no_softphone');
    expect(await stageOf(ticket.id)).toBe('feedback');
    const notice = await eventually(() => h.events.find((e) => e.type === 'ticket.relay_failed' && (e.data as { ticketId: string }).ticketId === ticket.id), 5000, 'owner told');
    expect(notice.data).toMatchObject({ deliveryId, channel: 'phone', detail: expect.stringContaining('软电话') });
  });

  it('telephony away: the job is retried, and its last attempt fails the delivery; no dialler at all fails it at once', async () => {
    const ticket = await replied();
    const [row] = await database.db.insert(deliveries).values({ ticketId: ticket.id, channel: 'phone', status: 'requested', actorId: court.operator.userId }).returning();
    const away = { dial: async () => Promise.reject(new Error('Redis is down')) };
    const job = { ticketId: ticket.id, deliveryId: row!.id };
    await expect(deliverFeedback(h.runtime.context, { sms: undefined, dialer: away }, job, false)).rejects.toThrow('Redis is down');
    expect(await rowOf(row!.id)).toMatchObject({ status: 'requested' });
    expect(await deliverFeedback(h.runtime.context, { sms: undefined, dialer: away }, job, true)).toBe('failed');
    expect((await rowOf(row!.id)).detail).toContain('telephony unavailable, gave up: Redis is down');

    const [second] = await database.db.insert(deliveries).values({ ticketId: ticket.id, channel: 'phone', status: 'requested', actorId: court.operator.userId }).returning();
    expect(await deliverFeedback(h.runtime.context, { sms: undefined, dialer: undefined }, { ticketId: ticket.id, deliveryId: second!.id })).toBe('failed');
    expect((await rowOf(second!.id)).detail).toContain('no telephony dialer in this deployment');
    const failed = await database.db.select().from(deliveries).where(and(eq(deliveries.ticketId, ticket.id), eq(deliveries.status, 'failed')));
    expect(failed).toHaveLength(2);
    expect(await stageOf(ticket.id)).toBe('feedback');
  });

  it('the helper other tests use records through the same check', async () => {
    const ticket = await replied();
    const outboundId = await connectedRelayCall(database.db, ticket, court.operator.userId);
    expect(await service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: true, outboundId })).toMatchObject({ stage: 'callback' });
  });
});
