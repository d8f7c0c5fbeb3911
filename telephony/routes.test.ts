import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { serviceOf } from '../platform/deps.ts';
import '../tickets/plugin.ts';
import { calls } from './telephony.sql.ts';

// An api-only process: the routes work without the ARI controller (presence lives in Redis).
const api = await useApi();
let court: SeededCourt;
let other: SeededCourt;
const cookie = { operator: '', manager: '', judge: '', otherOperator: '' };

beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  other = await seedCourt(api.deps.db);
  cookie.operator = await sessionCookieFor(api.deps.db, court.users.operator.id);
  cookie.manager = await sessionCookieFor(api.deps.db, court.users.manager.id);
  cookie.judge = await sessionCookieFor(api.deps.db, court.users.judge.id);
  cookie.otherOperator = await sessionCookieFor(api.deps.db, other.users.operator.id);
});

describe('presence routes (坐席状态)', () => {
  it('an operator starts logged out, goes ready, pauses with a reason; bad changes are refused and change nothing', async () => {
    const me = (c = cookie.operator) => call(api.url, 'GET', '/api/presence/me', { cookie: c });
    expect((await me()).body).toEqual({ state: 'logged_out', reason: null, since: null, wrapUpEndsAt: null });

    const ready = await call(api.url, 'PUT', '/api/presence/me', { cookie: cookie.operator, body: { state: 'ready' } });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ state: 'ready', reason: null, wrapUpEndsAt: null });
    expect(Date.parse(ready.body.since)).toBeGreaterThan(Date.now() - 60_000);

    const noReason = await call(api.url, 'PUT', '/api/presence/me', { cookie: cookie.operator, body: { state: 'paused' } });
    expect(noReason).toMatchObject({ status: 400, body: { code: 'reason_required' } });
    const onCall = await call(api.url, 'PUT', '/api/presence/me', { cookie: cookie.operator, body: { state: 'on_call' } });
    expect(onCall.status).toBe(400);
    const extra = await call(api.url, 'PUT', '/api/presence/me', { cookie: cookie.operator, body: { state: 'ready', operatorId: other.users.operator.id } });
    expect(extra.status).toBe(400);
    expect((await me()).body.state).toBe('ready');

    const paused = await call(api.url, 'PUT', '/api/presence/me', { cookie: cookie.operator, body: { state: 'paused', reason: 'training' } });
    expect(paused.body).toMatchObject({ state: 'paused', reason: 'training' });
    expect((await me(cookie.otherOperator)).body.state).toBe('logged_out');
  });

  it('only operators have a presence', async () => {
    expect((await call(api.url, 'GET', '/api/presence/me', { cookie: cookie.manager })).status).toBe(403);
    expect((await call(api.url, 'PUT', '/api/presence/me', { cookie: cookie.judge, body: { state: 'ready' } })).status).toBe(403);
  });
});

describe('queue snapshot and caller history', () => {
  it("a manager sees their own court's operators, not another court's", async () => {
    await call(api.url, 'PUT', '/api/presence/me', { cookie: cookie.otherOperator, body: { state: 'ready' } });
    const queue = await call(api.url, 'GET', '/api/telephony/queue', { cookie: cookie.manager });
    expect(queue.status).toBe(200);
    expect(queue.body.waiting).toEqual([]);
    expect(queue.body.operators.map((o: { userId: string }) => o.userId)).toEqual([court.users.operator.id]);
    expect((await call(api.url, 'GET', '/api/telephony/queue', { cookie: cookie.judge })).status).toBe(403);
  });

  it("lists the caller's calls and tickets of this court only, the ticket's number masked", async () => {
    const number = '13955550001';
    const callId = randomUUID();
    await api.deps.db.insert(calls).values({ id: callId, courtId: court.courtId, channelId: 'ch-1', callerNumber: number, dialled: '12368', arrivedAt: new Date(), outcome: 'message_left' });
    await api.deps.db.insert(calls).values({ id: randomUUID(), courtId: other.courtId, channelId: 'ch-2', callerNumber: number, dialled: '12368', arrivedAt: new Date(), outcome: 'abandoned_in_queue' });
    const tickets = serviceOf(api.deps, 'tickets');
    const ticket = await tickets.createFromMessage({ courtId: court.courtId, callId, callerNumber: number, kind: 'message', reason: 'after_hours' });
    await tickets.createFromMessage({ courtId: other.courtId, callId: randomUUID(), callerNumber: number, kind: 'callback' });

    const history = await call(api.url, 'GET', `/api/telephony/callers/${number}/history`, { cookie: cookie.operator });
    expect(history.status).toBe(200);
    expect(history.body.calls).toEqual([expect.objectContaining({ callId, outcome: 'message_left' })]);
    expect(history.body.tickets).toEqual([expect.objectContaining({ id: ticket.id, stage: 'answer', callerNumber: '139****0001' })]);
    expect((await call(api.url, 'GET', `/api/telephony/callers/not-a-number/history`, { cookie: cookie.operator })).status).toBe(400);
    expect((await call(api.url, 'GET', `/api/telephony/callers/${number}/history`, { cookie: cookie.judge })).status).toBe(403);
  });
});
