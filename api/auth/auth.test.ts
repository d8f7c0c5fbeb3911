import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../audit/audit.sql.ts';
import { call, seedCourt, testPassword, useApi, type SeededCourt } from '../testing/fixtures.ts';
import { sessions } from './auth.sql.ts';

const api = await useApi({ HOTLINE_LOCKOUT_ATTEMPTS: '3', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
});

function cookieOf(setCookie: string | null): string {
  return (setCookie ?? '').split(';')[0] ?? '';
}

describe('sign-in, session cookie, sign-out', () => {
  it('signs in with username and password, sets an httpOnly SameSite cookie, and the cookie authenticates', async () => {
    const signIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.operator.username, password: testPassword } });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ id: court.users.operator.id, role: 'operator', courtId: court.courtId });
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^hotline_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain HTTP here

    const cookie = cookieOf(setCookie);
    const me = await call(api.url, 'GET', '/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(court.users.operator.username);

    const out = await call(api.url, 'POST', '/api/auth/sign-out', { cookie });
    expect(out.status).toBe(204);
    const after = await call(api.url, 'GET', '/api/auth/me', { cookie });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: 'unauthenticated', message_zh: expect.any(String) });

    const actions = await api.deps.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actorUserId, court.users.operator.id));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['sign_in.succeeded', 'sign_out']));
  });

  // Secure behind a TLS-terminating proxy, and only a trusted one: api/http/proxy-and-request-log.test.ts.

  it('stores only a hash of the token, and the session survives a restart of the process (it is in PostgreSQL)', async () => {
    const signIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.judge.username, password: testPassword } });
    const token = cookieOf(signIn.headers.get('set-cookie')).split('=')[1]!;
    const rows = await api.deps.db.select().from(sessions).where(eq(sessions.userId, court.users.judge.id));
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    expect(rows.some((r) => r.tokenHash.length === 64)).toBe(true);
  });

  it('refuses a wrong password and an unknown user alike, and audits both', async () => {
    const wrong = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.admin.username, password: 'nope nope nope' } });
    const unknown = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: 'nobody-here', password: 'nope nope nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('bad_credentials');
    const failed = await api.deps.db.select().from(auditLog).where(eq(auditLog.action, 'sign_in.failed'));
    expect(failed.map((f) => f.detail.username)).toEqual(expect.arrayContaining([court.users.admin.username, 'nobody-here']));
  });

  it('locks a username after repeated failures, even with the right password, until an admin unlocks it', async () => {
    const username = court.users.department_head.username;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: 'wrong password' } })).status);
    expect(statuses).toEqual([401, 401, 423]);
    const right = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: testPassword } });
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('locked_out');

    const admin = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.admin.username, password: testPassword } });
    const unlock = await call(api.url, 'POST', `/api/users/${court.users.department_head.id}/unlock`, { cookie: cookieOf(admin.headers.get('set-cookie')) });
    expect(unlock.status).toBe(204);
    expect((await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: testPassword } })).status).toBe(200);
  });

  it('refuses an expired session', async () => {
    const signIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.otherJudge.username, password: testPassword } });
    const cookie = cookieOf(signIn.headers.get('set-cookie'));
    await api.deps.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, court.users.otherJudge.id));
    await new Promise((r) => setTimeout(r, 2100)); // past the in-process session cache
    expect((await call(api.url, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
  });
});
