import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceOf } from '../../platform/deps.ts';
import { LiveState } from '../../telephony/acd/live-state.ts';
import '../../telephony/plugin.ts';
import { call, seedCourt, signIn, useApi, type SeededCourt } from '../testing/fixtures.ts';
import { sessions } from './auth.sql.ts';

// Presence follows the person (issue 19, item 7): a real API over HTTP, presence in real Redis.
const api = await useApi({ HOTLINE_CONSOLE_PAUSE_AFTER_SECONDS: '1' });
let live: LiveState;
beforeAll(() => {
  live = new LiveState(api.deps.redis, api.prefix);
});

async function readyOperator(): Promise<{ court: SeededCourt; cookie: string; userId: string }> {
  const court = await seedCourt(api.deps.db);
  const cookie = await signIn(api.url, court.users.operator.username);
  expect((await call(api.url, 'PUT', '/api/presence/me', { cookie, body: { state: 'ready' } })).status).toBe(200);
  return { court, cookie, userId: court.users.operator.id };
}

const offer = (courtId: string) => live.claim(courtId, 'general', randomUUID(), Date.now(), Date.now() + 30_000);

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('sign-out and session end take the operator out of the queue', () => {
  it('signing out logs the operator out, and the ACD no longer offers them calls', async () => {
    const { court, cookie, userId } = await readyOperator();
    expect((await live.operator(userId))?.state).toBe('ready');
    expect((await call(api.url, 'POST', '/api/auth/sign-out', { cookie })).status).toBe(204);
    expect(await live.operator(userId)).toMatchObject({ state: 'logged_out', reason: 'signed_out' });
    expect(await offer(court.courtId)).toBeNull();
  });

  it('a control: a ready operator who stays signed in is offered the call', async () => {
    const { court, userId } = await readyOperator();
    expect(await offer(court.courtId)).toMatchObject({ userId });
  });

  it('signing out of one browser while signed in on another leaves the operator ready', async () => {
    const { court, cookie, userId } = await readyOperator();
    const second = await signIn(api.url, court.users.operator.username);
    await call(api.url, 'POST', '/api/auth/sign-out', { cookie });
    expect((await live.operator(userId))?.state).toBe('ready');
    await call(api.url, 'POST', '/api/auth/sign-out', { cookie: second });
    expect((await live.operator(userId))?.state).toBe('logged_out');
  });

  it('a session that expires takes the operator out of the queue within the sweep', async () => {
    const { court, cookie, userId } = await readyOperator();
    await api.deps.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, userId));
    const op = await until(() => live.operator(userId), (o) => o?.state === 'logged_out');
    expect(op).toMatchObject({ state: 'logged_out', reason: 'session_ended' });
    expect(await offer(court.courtId)).toBeNull();
    expect((await call(api.url, 'GET', '/api/presence/me', { cookie })).status).toBe(401);
  });

  it('signing out with a call in hand leaves the call alone; the operator leaves the queue when it ends', async () => {
    const { court, cookie, userId } = await readyOperator();
    const callId = randomUUID();
    expect(await live.claim(court.courtId, 'general', callId, Date.now(), Date.now() + 30_000)).toMatchObject({ userId });
    const presence = serviceOf(api.deps, 'telephony')['presence'];
    expect(await presence.change(userId, 'system:on_call', 'on_call', { callId })).toBe(true);

    expect((await call(api.url, 'POST', '/api/auth/sign-out', { cookie })).status).toBe(204);
    expect((await live.operator(userId))?.state).toBe('on_call');

    expect(await presence.change(userId, 'system:wrap_up', 'wrap_up', { callId })).toBe(true);
    await presence.change(userId, 'system:wrap_up_done', 'ready');
    expect(await live.operator(userId)).toMatchObject({ state: 'logged_out', reason: 'signed_out' });
    expect(await offer(court.courtId)).toBeNull();

    // Signing in again and choosing ready puts them back (the mark is gone).
    const again = await signIn(api.url, court.users.operator.username);
    expect((await call(api.url, 'PUT', '/api/presence/me', { cookie: again, body: { state: 'ready' } })).body.state).toBe('ready');
    expect(await offer(court.courtId)).toMatchObject({ userId });
  });
});
