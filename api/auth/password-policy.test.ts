import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';
import { passwordWeakness } from './password-policy.ts';

describe('the password policy (zxcvbn-ts)', () => {
  it.each([
    ['a repeated character', 'aaaaaaaaaa'],
    ['a run of digits', '1234567890'],
    ['a keyboard row', 'qwertyuiop'],
    ['a common password', 'password123'],
    ['too short', 'Xk9!vQ2'],
    ['the username inside', 'zhangsan-2024-hotline'],
    ['the display name run together', 'WangFang!2024'],
  ])('refuses %s', (_label, password) => {
    expect(passwordWeakness(password, { username: 'zhangsan', displayName: 'Wang Fang' })).toBeDefined();
  });

  it.each(['a long password', 'correct horse battery', 'tgb8-Qm2!vX9', '法院热线的新密码八号'])('accepts %s', (password) => {
    expect(passwordWeakness(password, { username: 'zhangsan', displayName: 'Wang Fang' })).toBeUndefined();
  });
});

const api = await useApi();

describe('the policy wherever an admin sets a password', () => {
  let court: SeededCourt;
  let admin: string;
  beforeAll(async () => {
    court = await seedCourt(api.deps.db);
    admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
  });

  it.each(['aaaaaaaaaa', '1234567890'])('POST /api/users refuses %s with 422 weak_password and creates no one', async (password) => {
    const created = await call(api.url, 'POST', '/api/users', { cookie: admin, body: { username: `weak-${password.slice(0, 3)}`, displayName: '弱密码', role: 'operator', password } });
    expect(created.status).toBe(422);
    expect(created.body).toMatchObject({ code: 'weak_password', message: expect.any(String), message_zh: expect.any(String) });
    const list = await call(api.url, 'GET', '/api/users', { cookie: admin });
    expect(list.body.map((u: { username: string }) => u.username)).not.toContain(`weak-${password.slice(0, 3)}`);
  });

  it('PUT /api/users/:id/password refuses a weak one and one holding the username', async () => {
    const operator = court.users.operator;
    for (const password of ['1234567890', `${operator.username}-pass-2024`]) {
      const set = await call(api.url, 'PUT', `/api/users/${operator.id}/password`, { cookie: admin, body: { password } });
      expect(set.status, password).toBe(422);
      expect(set.body.code).toBe('weak_password');
    }
    expect((await call(api.url, 'PUT', `/api/users/${operator.id}/password`, { cookie: admin, body: { password: 'a brand new secret' } })).status).toBe(204);
  });
});
