import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { deliveries } from '../outbox.sql.ts';

/** With no SMS gateway configured (the default): SMS relay is refused with a clear error and nothing changes. */
const api = await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  court = await seedCourt(api.deps.db, 'J0811');
  for (const role of ['operator', 'judge', 'manager', 'admin'] as const) cookies[role] = await signIn(api.url, court.users[role].username);
});

const as = (who: string, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookies[who]!, ...(body !== undefined ? { body } : {}) });

describe('no SMS gateway', () => {
  it('refuses SMS relay (409 sms_not_configured, in Chinese and English), writes nothing, sends no hand-off notice; phone relay still works', async () => {
    const created = await as('operator', 'POST', '/tickets', { summary: '询问开庭时间', callerNumber: '13800000000' });
    const id = created.body.id as string;
    await as('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: court.users.judge.id });
    await as('judge', 'POST', `/tickets/${id}/reply`, { text: '3月5日开庭' });
    const events = (await as('manager', 'GET', `/tickets/${id}/events`)).body.length;

    const refused = await as('operator', 'POST', `/tickets/${id}/relay`, { channel: 'sms' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'sms_not_configured', message: expect.stringContaining('SMS_GATEWAY'), message_zh: expect.stringContaining('短信网关') } });
    expect((await as('manager', 'GET', `/tickets/${id}/events`)).body).toHaveLength(events);
    expect(await api.deps.db.select().from(deliveries).where(eq(deliveries.ticketId, id))).toEqual([]);

    // Nor can a person type in "delivered by SMS": only a gateway's receipt records it.
    const typed = await as('operator', 'POST', `/tickets/${id}/delivery`, { channel: 'sms', delivered: true });
    expect(typed).toMatchObject({ status: 400, body: { code: 'sms_delivery_by_receipt', message_zh: expect.stringContaining('回执') } });
    expect((await as('manager', 'GET', `/tickets/${id}/events`)).body).toHaveLength(events);
    expect((await as('manager', 'GET', `/tickets/${id}`)).body).toMatchObject({ stage: 'feedback', deliveredAt: null });

    expect((await as('operator', 'POST', `/tickets/${id}/relay`, { channel: 'phone' })).status).toBe(200);
  });

  it('tells the console only phone relay is offered; the hand-off notice setting is kept but inactive', async () => {
    expect((await as('operator', 'GET', '/tickets/sms')).body).toMatchObject({ gateway: null, relayChannels: ['phone'], handoffNotice: true, handoffNoticeActive: false });
    expect((await as('operator', 'PUT', '/tickets/sms', { handoffNotice: false })).status).toBe(403);
    const changed = await as('admin', 'PUT', '/tickets/sms', { handoffNotice: false });
    expect(changed).toMatchObject({ status: 200, body: { handoffNotice: false, changedBy: court.users.admin.id } });
  });
});
