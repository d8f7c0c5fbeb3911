import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, signIn, testPassword, useApi, type SeededCourt } from '../testing/fixtures.ts';

const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
let admin: string;
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
});

describe('a forced password change after an admin reset', () => {
  it('the user may only see who they are, change the password or sign out until they have changed it', async () => {
    const { id, username } = court.users.operator;
    expect((await call(api.url, 'PUT', `/api/users/${id}/password`, { cookie: admin, body: { password: 'admin set this one' } })).status).toBe(204);

    const signedIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: 'admin set this one' } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.mustChangePassword).toBe(true);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;

    const blocked = await call(api.url, 'GET', '/api/judges', { cookie });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('password_change_required');
    expect((await call(api.url, 'GET', '/api/auth/me', { cookie })).body.mustChangePassword).toBe(true);

    const wrongCurrent = await call(api.url, 'POST', '/api/auth/password', { cookie, body: { currentPassword: 'not the one', newPassword: 'my very own phrase' } });
    expect(wrongCurrent.status).toBe(403);
    expect(wrongCurrent.body.code).toBe('wrong_current_password');
    const weak = await call(api.url, 'POST', '/api/auth/password', { cookie, body: { currentPassword: 'admin set this one', newPassword: '1234567890' } });
    expect(weak.status).toBe(422);
    const same = await call(api.url, 'POST', '/api/auth/password', { cookie, body: { currentPassword: 'admin set this one', newPassword: 'admin set this one' } });
    expect(same.status).toBe(422);

    const changed = await call(api.url, 'POST', '/api/auth/password', { cookie, body: { currentPassword: 'admin set this one', newPassword: 'my very own phrase' } });
    expect(changed.status).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);
    expect((await call(api.url, 'GET', '/api/judges', { cookie })).status).toBe(200); // the same session goes on
    await signIn(api.url, username, 'my very own phrase');
    const audited = await api.deps.db.select().from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, 'user.password_changed')));
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited)).not.toContain('my very own phrase');
  });

  it('a user whose password no admin set is not held up, and may change their own', async () => {
    const cookie = await signIn(api.url, court.users.judge.username, testPassword);
    expect((await call(api.url, 'GET', '/api/judges', { cookie })).status).toBe(200);
    const changed = await call(api.url, 'POST', '/api/auth/password', { cookie, body: { currentPassword: testPassword, newPassword: 'a judge chooses anew' } });
    expect(changed.status).toBe(200);
  });
});
