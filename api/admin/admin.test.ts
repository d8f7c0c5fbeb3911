import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../platform/directory.sql.ts';
import { auditLog } from '../audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, testPassword, useApi, type SeededCourt } from '../testing/fixtures.ts';

const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
let other: SeededCourt;
let admin: string;
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  other = await seedCourt(api.deps.db);
  admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
});

describe('user administration', () => {
  it('creates an operator with a softphone endpoint and a judge with an extension, who can then sign in', async () => {
    const operator = await call(api.url, 'POST', '/api/users', {
      cookie: admin,
      body: { username: 'op-new', displayName: '新话务员', role: 'operator', sipEndpoint: 'op2001', password: 'a long password' },
    });
    expect(operator.status).toBe(201);
    expect(operator.body).toMatchObject({ username: 'op-new', role: 'operator', sipEndpoint: 'op2001', courtId: court.courtId, hasPassword: true });
    const judge = await call(api.url, 'POST', '/api/users', {
      cookie: admin,
      body: { username: 'judge-new', displayName: '王法官', role: 'judge', departmentId: court.departmentIds[0], extension: '13900001111', password: 'another long one' },
    });
    expect(judge.status).toBe(201);
    expect(judge.body.extension).toBe('13900001111'); // the detail view shows it in full
    const signIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: 'judge-new', password: 'another long one' } });
    expect(signIn.status).toBe(200);
    const audit = await api.deps.db.select().from(auditLog).where(eq(auditLog.action, 'user.created'));
    expect(audit.map((a) => a.targetId)).toEqual(expect.arrayContaining([operator.body.id, judge.body.id]));
  });

  it('refuses a taken username with 409 and changes nothing', async () => {
    const before = await api.deps.db.select().from(users);
    const again = await call(api.url, 'POST', '/api/users', {
      cookie: admin,
      body: { username: court.users.operator.username, displayName: 'dup', role: 'operator', password: 'a long password' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'conflict', message_zh: '该用户名已被使用。' });
    expect(await api.deps.db.select().from(users)).toHaveLength(before.length);
  });

  it('lists only the admin’s court, with phone numbers masked', async () => {
    const list = await call(api.url, 'GET', '/api/users', { cookie: admin });
    expect(list.status).toBe(200);
    expect(list.body.every((u: { courtId: string }) => u.courtId === court.courtId)).toBe(true);
    const judge = list.body.find((u: { id: string }) => u.id === court.users.judge.id);
    expect(judge.extension).toBe('138****5678');
    expect(JSON.stringify(list.body)).not.toContain('13812345678');
    const judges = await call(api.url, 'GET', '/api/users?role=judge', { cookie: admin });
    expect(judges.body.every((u: { role: string }) => u.role === 'judge')).toBe(true);
  });

  it('changes a role: audited with before and after, and the user’s sessions end at once', async () => {
    const judgeCookie = await sessionCookieFor(api.deps.db, court.users.otherJudge.id);
    expect((await call(api.url, 'GET', '/api/auth/me', { cookie: judgeCookie })).status).toBe(200);
    const changed = await call(api.url, 'PATCH', `/api/users/${court.users.otherJudge.id}`, { cookie: admin, body: { role: 'department_head' } });
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe('department_head');
    expect((await call(api.url, 'GET', '/api/auth/me', { cookie: judgeCookie })).status).toBe(401);
    const [entry] = await api.deps.db.select().from(auditLog).where(eq(auditLog.action, 'user.role_changed'));
    expect(entry).toMatchObject({ actorUserId: court.users.admin.id, targetId: court.users.otherJudge.id, detail: { from: 'judge', to: 'department_head' } });
  });

  it('deactivates a user: they can no longer sign in', async () => {
    const res = await call(api.url, 'PATCH', `/api/users/${court.users.manager.id}`, { cookie: admin, body: { active: false } });
    expect(res.status).toBe(200);
    const signIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.manager.username, password: testPassword } });
    expect(signIn.status).toBe(401);
  });

  it('will not let an admin demote or deactivate themselves', async () => {
    const res = await call(api.url, 'PATCH', `/api/users/${court.users.admin.id}`, { cookie: admin, body: { role: 'operator' } });
    expect(res.status).toBe(409);
    const [me] = await api.deps.db.select().from(users).where(eq(users.id, court.users.admin.id));
    expect(me?.role).toBe('admin');
  });

  it('sets a password: the old one stops working and it is audited', async () => {
    const res = await call(api.url, 'PUT', `/api/users/${court.users.operator.id}/password`, { cookie: admin, body: { password: 'a brand new secret' } });
    expect(res.status).toBe(204);
    expect((await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.operator.username, password: testPassword } })).status).toBe(401);
    const signedIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: court.users.operator.username, password: 'a brand new secret' } });
    expect(signedIn.status).toBe(200);
    // An admin-set password must be replaced at once (api/auth/forced-change.test.ts); the operator does, so the later tests go on.
    expect(signedIn.body.mustChangePassword).toBe(true);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await call(api.url, 'POST', '/api/auth/password', { cookie, body: { currentPassword: 'a brand new secret', newPassword: 'the operator’s own' } })).status).toBe(200);
    const entries = await api.deps.db.select().from(auditLog).where(eq(auditLog.action, 'user.password_set'));
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain('a brand new secret');
  });

  it('treats another court’s users and departments as not found, and changes nothing there', async () => {
    const foreignUser = other.users.judge.id;
    for (const [method, path, body] of [
      ['GET', `/api/users/${foreignUser}`, undefined],
      ['PATCH', `/api/users/${foreignUser}`, { displayName: 'hijacked' }],
      ['PUT', `/api/users/${foreignUser}/password`, { password: 'hijacked password' }],
      ['POST', `/api/users/${foreignUser}/unlock`, undefined],
      ['PATCH', `/api/departments/${other.departmentIds[0]}`, { name: 'hijacked' }],
      ['POST', '/api/users', { username: 'sneaky', displayName: 'x', role: 'judge', departmentId: other.departmentIds[0], password: 'a long password' }],
    ] as const) {
      const res = await call(api.url, method, path, { cookie: admin, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    const [foreign] = await api.deps.db.select().from(users).where(eq(users.id, foreignUser));
    expect(foreign?.displayName).not.toBe('hijacked');
    expect(await api.deps.db.select().from(users).where(eq(users.username, 'sneaky'))).toEqual([]);
  });
});

describe('departments, court and judges directory', () => {
  it('creates and renames departments; everyone in the court can list them', async () => {
    const created = await call(api.url, 'POST', '/api/departments', { cookie: admin, body: { name: '民一庭', extension: '8101' } });
    expect(created.status).toBe(201);
    const renamed = await call(api.url, 'PATCH', `/api/departments/${created.body.id}`, { cookie: admin, body: { name: '民事审判第一庭' } });
    expect(renamed.body.name).toBe('民事审判第一庭');
    const operator = await sessionCookieFor(api.deps.db, court.users.operator.id);
    const list = await call(api.url, 'GET', '/api/departments', { cookie: operator });
    expect(list.body.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['立案庭', '执行局', '民事审判第一庭']));
    expect(list.body.every((d: { courtId: string }) => d.courtId === court.courtId)).toBe(true);
  });

  it('shows the judges directory to operators with outside numbers masked', async () => {
    const operator = await sessionCookieFor(api.deps.db, court.users.operator.id);
    const judges = await call(api.url, 'GET', '/api/judges', { cookie: operator });
    expect(judges.status).toBe(200);
    const judge = judges.body.find((j: { userId: string }) => j.userId === court.users.judge.id);
    expect(judge).toMatchObject({ departmentName: '立案庭', extension: '138****5678' });
    expect(judges.body.some((j: { userId: string }) => j.userId === other.users.judge.id)).toBe(false);
  });

  it('shows and renames the admin’s own court', async () => {
    const renamed = await call(api.url, 'PATCH', '/api/courts/current', { cookie: admin, body: { name: '某某市中级人民法院' } });
    expect(renamed.status).toBe(200);
    const judge = await sessionCookieFor(api.deps.db, court.users.judge.id);
    expect((await call(api.url, 'GET', '/api/courts/current', { cookie: judge })).body.name).toBe('某某市中级人民法院');
    expect((await call(api.url, 'GET', '/api/audit?limit=5', { cookie: admin })).body[0].action).toBe('court.updated');
  });
});
