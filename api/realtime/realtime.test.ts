import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHotline } from '../../hotline.ts';
import { loadConfig } from '../../platform/config/load.ts';
import { createLogger } from '../../platform/logger.ts';
import { testRedisUrl } from '../../test/harness/redis.ts';
import { ConsoleSocket } from '../testing/console-socket.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';
import { publishEvent } from './event-catalogue.ts';

const api = await useApi({ HOTLINE_EVENT_BUFFER: '50' });
let court: SeededCourt;
let other: SeededCourt;
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  other = await seedCourt(api.deps.db);
});

async function open(userId: string, lastEventId?: string, baseUrl = api.url) {
  const socket = await ConsoleSocket.open(baseUrl, await sessionCookieFor(api.deps.db, userId), lastEventId);
  sockets.push(socket);
  await socket.next((m) => m.type === 'hello');
  return socket;
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('realtime websocket', () => {
  it('refuses a websocket without a valid session, and plain HTTP on the websocket route', async () => {
    await expect(ConsoleSocket.open(api.url, undefined)).rejects.toThrow('HTTP 401');
    await expect(ConsoleSocket.open(api.url, 'hotline_session=forged-token')).rejects.toThrow('HTTP 401');
    const plain = await call(api.url, 'GET', '/api/realtime', { cookie: await sessionCookieFor(api.deps.db, court.users.operator.id) });
    expect(plain.status).toBe(426);
    expect(plain.body.code).toBe('upgrade_required');
  });

  it('delivers an event only to connected users of its court whom the audience names', async () => {
    const operator = await open(court.users.operator.id);
    const judge = await open(court.users.judge.id);
    const manager = await open(court.users.manager.id);
    const foreignOperator = await open(other.users.operator.id);

    await publishEvent(api.deps.events, {
      type: 'call.offered',
      courtId: court.courtId,
      audience: { roles: ['operator'] },
      data: { callId: 'call-1', callerNumberMasked: '138****5678', queuedAt: new Date().toISOString() },
    });
    await publishEvent(api.deps.events, {
      type: 'ticket.assigned',
      courtId: court.courtId,
      audience: { userIds: [court.users.judge.id] },
      data: { ticketId: 't-1', number: 'J-1', handlerUserId: court.users.judge.id, departmentId: null, dueAt: new Date().toISOString() },
    });
    const offered = await operator.next((m) => m.type === 'call.offered');
    expect(offered).toMatchObject({ id: expect.stringMatching(/^\d+-\d+$/), data: { callId: 'call-1' } });
    await judge.next((m) => m.type === 'ticket.assigned');
    await settle();
    expect(judge.messages.map((m) => m.type)).toEqual(['hello', 'ticket.assigned']);
    expect(manager.messages.map((m) => m.type)).toEqual(['hello']);
    expect(foreignOperator.messages.map((m) => m.type)).toEqual(['hello']);
    expect(operator.messages.map((m) => m.type)).toEqual(['hello', 'call.offered']);
  });

  it('rejects an event whose data does not match the catalogue before publishing it', async () => {
    await expect(
      publishEvent(api.deps.events, { type: 'presence.changed', courtId: court.courtId, audience: { roles: ['manager'] }, data: { userId: 'u', status: 'dancing' } as never }),
    ).rejects.toThrow();
  });

  it('resumes after a reconnect with exactly the missed events for that user', async () => {
    const first = await open(court.users.manager.id);
    const publish = (n: number, audience: { roles: ['manager'] } | { roles: ['operator'] }) =>
      publishEvent(api.deps.events, { type: 'wallboard.figures', courtId: court.courtId, audience, data: { at: String(n), waiting: n, operatorsReady: 0, connectionRate: null, completionRate: null } });
    await publish(1, { roles: ['manager'] });
    const seen = await first.next((m) => m.type === 'wallboard.figures');
    first.close();
    await first.closed();
    await publish(2, { roles: ['manager'] });
    await publish(3, { roles: ['operator'] }); // not for managers
    await publish(4, { roles: ['manager'] });

    const again = await open(court.users.manager.id, seen.id);
    await again.next((m) => m.data?.waiting === 4);
    await publish(5, { roles: ['manager'] });
    await again.next((m) => m.data?.waiting === 5);
    await settle();
    expect(again.messages.filter((m) => m.type === 'wallboard.figures').map((m) => m.data.waiting)).toEqual([2, 4, 5]);
  });

  it('sends "resync" when the missed events are no longer in the bounded buffer', async () => {
    const operator = await open(court.users.operator.id, '1-0');
    const resync = await operator.next((m) => m.type === 'resync');
    expect(resync.data.reason).toBeTruthy();
  });

  it('refuses a malformed resume id with the error shape', async () => {
    await expect(ConsoleSocket.open(api.url, await sessionCookieFor(api.deps.db, court.users.operator.id), "1' OR 1=1")).rejects.toThrow('HTTP 400');
  });

  it('closes the socket when its session signs out', async () => {
    const cookie = await sessionCookieFor(api.deps.db, court.users.department_head.id);
    const socket = await ConsoleSocket.open(api.url, cookie);
    sockets.push(socket);
    await call(api.url, 'POST', '/api/auth/sign-out', { cookie });
    expect(await socket.closed()).toBe(4401);
  });

  it('fans out across API processes through Redis: an event published in one reaches consoles on another', async () => {
    const config = loadConfig({
      env: { HOTLINE_PORT: '0', HOTLINE_ROLES: 'api', REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', LOG_LEVEL: 'silent', DATABASE_URL: api.deps.config.database.url!, REDIS_PREFIX: api.prefix },
      cwd: process.cwd(),
    });
    const second = await startHotline(config, createLogger(config.log));
    try {
      const onSecond = await open(court.users.operator.id, undefined, second.url);
      await publishEvent(api.deps.events, { type: 'call.ended', courtId: court.courtId, audience: { roles: ['operator'] }, data: { callId: 'c-9', outcome: 'answered', endedAt: new Date().toISOString() } });
      expect((await onSecond.next((m) => m.type === 'call.ended')).data.callId).toBe('c-9');
      onSecond.close();
    } finally {
      await second.stop();
    }
  });
});
