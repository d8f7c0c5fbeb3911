import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { deliverFeedback } from '../jobs.ts';
import { deliveries } from '../outbox.sql.ts';
import { eventually, silentLogger } from '../testing/harness.ts';
import { postReceipt, testHttpsGateway } from '../testing/https-gateway.ts';
import { httpsSender } from './https-sender.ts';
import { signedHeaders } from './signature.ts';

/**
 * The HTTPS gateway against a real HTTPS server started here (a self-signed certificate made by openssl, trusted
 * through SMS_HTTPS_CA_FILE), in a hotline configured for it: requests and answers signed both ways, receipts by
 * the signed callback route, and a relay's ticket reaching the return visit only on a delivered receipt.
 */
const secret = 'shared-secret-for-the-test-gateway';
const gateway = await testHttpsGateway(secret);
const api = await useApi({
  HOTLINE_ROLES: 'api,workers',
  HOTLINE_SIGN_IN_RATE_LIMIT: '1000',
  SMS_GATEWAY: 'https',
  SMS_HTTPS_URL: gateway.url,
  SMS_HTTPS_SECRET: secret,
  SMS_HTTPS_CA_FILE: gateway.caFile,
});
let court: SeededCourt;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  court = await seedCourt(api.deps.db, 'J0811');
  for (const role of ['operator', 'judge', 'manager'] as const) cookies[role] = await signIn(api.url, court.users[role].username);
});
afterAll(() => gateway.close());

const as = (who: string, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookies[who]!, ...(body !== undefined ? { body } : {}) });
const deliveryRow = async (id: string) => (await api.deps.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;
const stageOf = async (ticketId: string) => (await as('manager', 'GET', `/tickets/${ticketId}`)).body.stage as string;
const sender = (s = secret) => httpsSender({ url: gateway.url, secret: s, caFile: gateway.caFile }, silentLogger);

/** A replied ticket relayed by SMS; answers the delivery once the gateway has it ('sent', with its message id). */
async function relayedBySms(callerNumber: string) {
  const created = await as('operator', 'POST', '/tickets', { summary: '询问立案进度', callerNumber });
  const id = created.body.id as string;
  expect((await as('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: court.users.judge.id })).status).toBe(200);
  expect((await as('judge', 'POST', `/tickets/${id}/reply`, { text: '已立案，案号将短信告知' })).status).toBe(200);
  expect((await as('operator', 'POST', `/tickets/${id}/relay`, { channel: 'sms' })).status).toBe(200);
  const [relay] = await api.deps.db.select().from(deliveries).where(eq(deliveries.ticketId, id)).then((rows) => rows.filter((r) => r.purpose === 'feedback'));
  const sent = await eventually(async () => {
    const row = await deliveryRow(relay!.id);
    return row.status === 'sent' ? row : undefined;
  }, 10_000, 'SMS accepted by the gateway');
  return { ticketId: id, delivery: sent };
}

describe('HTTPS SMS gateway', () => {
  it('signs requests and checks the answers: a wrong secret either way is refused and nothing is taken', async () => {
    await expect(sender('not-the-shared-secret-at-all').send({ to: '13800000000', text: '测试', idempotencyKey: 'k-1' })).rejects.toThrow(/not signed/);
    expect(gateway.refused).toBe(1);
    expect(gateway.messages.some((m) => m.idempotencyKey === 'k-1')).toBe(false);

    gateway.answerSecret = 'an-impostor-answering-for-the-gateway';
    await expect(sender().send({ to: '13800000000', text: '测试', idempotencyKey: 'k-2' })).rejects.toThrow(/not signed/);
    gateway.answerSecret = secret;

    // The same key again (a retry after a crash hid the answer): the gateway drops the duplicate, same message id.
    const first = await sender().send({ to: '13800000000', text: '测试', idempotencyKey: 'k-3' });
    const again = await sender().send({ to: '13800000000', text: '测试', idempotencyKey: 'k-3' });
    expect(first).toMatchObject({ accepted: true });
    expect(again).toEqual({ ...first, detail: expect.any(String) });
    expect(gateway.messages.filter((m) => m.idempotencyKey === 'k-3')).toHaveLength(1);

    expect(await sender().send({ to: '13700000009', text: '测试', idempotencyKey: 'k-4' })).toMatchObject({ accepted: false, detail: expect.stringContaining('137****0009') });
  });

  it('a relay reaches the return visit only on a delivered receipt; a receipt with a bad signature is refused and changes nothing', async () => {
    const { ticketId, delivery } = await relayedBySms('13800000001');
    const message = gateway.messages.find((m) => m.messageId === delivery.gatewayMessageId)!;
    expect(message).toMatchObject({ to: '13800000001', idempotencyKey: delivery.id });
    expect(message.text).toContain('已立案');
    // The caller was told at hand-off too, through the same gateway.
    expect(gateway.messages.some((m) => m.to === '13800000001' && m.text.includes('已交由'))).toBe(true);
    expect(await stageOf(ticketId)).toBe('feedback');

    const forged = await postReceipt(api.url, 'not-the-shared-secret-at-all', { messageId: message.messageId, status: 'delivered' });
    expect(forged).toMatchObject({ status: 401, body: { code: 'bad_signature', message_zh: expect.stringContaining('签名') } });
    // Signed, but over another body: refused too.
    const body = JSON.stringify({ messageId: message.messageId, status: 'delivered' });
    const tampered = await fetch(`${api.url}/api/sms/receipts`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(secret, body.replace('delivered', 'expired')) }, body });
    expect(tampered.status).toBe(401);
    const stale = await fetch(`${api.url}/api/sms/receipts`, { method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(secret, body, Date.now() - 10 * 60_000) }, body });
    expect(stale.status).toBe(401);
    expect(await deliveryRow(delivery.id)).toMatchObject({ status: 'sent', settledAt: null });
    expect(await stageOf(ticketId)).toBe('feedback');

    expect(await postReceipt(api.url, secret, { messageId: message.messageId, status: 'delivered' })).toEqual({ status: 200, body: { outcome: 'applied' } });
    expect(await deliveryRow(delivery.id)).toMatchObject({ status: 'delivered' });
    await eventually(async () => (await stageOf(ticketId)) === 'callback', 5000, 'callback stage');
    expect((await as('manager', 'GET', `/tickets/${ticketId}`)).body).toMatchObject({ deliveryChannel: 'sms', deliveredAt: expect.any(String) });
    expect(await postReceipt(api.url, secret, { messageId: message.messageId, status: 'delivered' })).toEqual({ status: 200, body: { outcome: 'already_applied' } });
  });

  it('an undeliverable receipt fails the relay and the ticket stays in feedback', async () => {
    const { ticketId, delivery } = await relayedBySms('13800000002');
    expect(await postReceipt(api.url, secret, { messageId: delivery.gatewayMessageId!, status: 'undeliverable', detail: 'handset off' })).toEqual({ status: 200, body: { outcome: 'applied' } });
    expect(await deliveryRow(delivery.id)).toMatchObject({ status: 'failed', detail: 'undeliverable: handset off' });
    expect(await stageOf(ticketId)).toBe('feedback');
    expect((await as('manager', 'GET', `/tickets/${ticketId}`)).body.deliveredAt).toBeNull();
  });

  it('a restart between the send and its commit sends again with the same key: the gateway drops it, the caller gets one SMS', async () => {
    const created = await as('operator', 'POST', '/tickets', { summary: '崩溃后重发', callerNumber: '13800000003' });
    const id = created.body.id as string;
    await as('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: court.users.judge.id });
    await as('judge', 'POST', `/tickets/${id}/reply`, { text: '已处理' });
    // The row as a process that died after the gateway took the message left it: claimed, no message id kept.
    const [row] = await api.deps.db.insert(deliveries).values({ ticketId: id, channel: 'sms', status: 'sending', sendAttempts: 1, actorId: court.users.operator.id }).returning();
    const before = await sender().send({ to: '13800000003', text: '崩溃前已发出', idempotencyKey: row!.id });
    const ctx = serviceOf(api.deps, 'tickets').ctx;
    expect(await deliverFeedback(ctx, { sms: sender(), dialer: undefined }, { ticketId: id, deliveryId: row!.id })).toBe('sent');
    expect(await deliveryRow(row!.id)).toMatchObject({ status: 'sent', sendAttempts: 2, gatewayMessageId: before.accepted ? before.messageId : 'none' });
    expect(gateway.messages.filter((m) => m.idempotencyKey === row!.id)).toHaveLength(1);
  });

  it('the console is told SMS relay is available', async () => {
    expect((await as('operator', 'GET', '/tickets/sms')).body).toMatchObject({ gateway: 'https', relayChannels: ['phone', 'sms'], handoffNotice: true, handoffNoticeActive: true });
  });
});
