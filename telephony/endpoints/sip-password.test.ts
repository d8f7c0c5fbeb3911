import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { users } from '../../platform/directory.sql.ts';
import { sipCredentials } from '../../platform/sip-credentials.sql.ts';
import { openSipPassword, sealSipPassword, sipPasswordDigest } from './sip-password-seal.ts';

/** Issue 19: SIP passwords were HMAC(deployment secret, endpoint name): whoever got the name got the password. */
const secret = 'sip-password-test-secret-0123';
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000', HOTLINE_SIP_PASSWORD_SECRET: secret });
let a: SeededCourt;
let b: SeededCourt;
let adminA: string;
const oldDerivation = (endpoint: string) => createHmac('sha256', secret).update(`sip-endpoint:${endpoint}`).digest('base64url').slice(0, 24);

async function softphone(userId: string) {
  const res = await call(api.url, 'GET', '/api/console/softphone', { cookie: await sessionCookieFor(api.deps.db, userId) });
  expect(res.status).toBe(200);
  return res.body as { endpoint: string | null; password: string | null };
}

beforeAll(async () => {
  a = await seedCourt(api.deps.db);
  b = await seedCourt(api.deps.db);
  adminA = await sessionCookieFor(api.deps.db, a.users.admin.id);
});

describe('SIP passwords', () => {
  it('gives each operator their own endpoint and a random password, not derivable from the name', async () => {
    const mine = await softphone(a.users.operator.id);
    const theirs = await softphone(b.users.operator.id);
    const [rowA] = await api.deps.db.select().from(users).where(eq(users.id, a.users.operator.id));
    expect(mine.endpoint).toBe(rowA!.sipEndpoint);
    expect(theirs.endpoint).not.toBe(mine.endpoint);
    expect(mine.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(mine.password).not.toBe(theirs.password);
    expect(mine.password).not.toBe(oldDerivation(mine.endpoint!));
    // Asked again: the same password (the console signs in many times; Asterisk has one digest).
    expect((await softphone(a.users.operator.id)).password).toBe(mine.password);
  });

  it('answers heads and managers with their own console softphone (supervision), and judges with none', async () => {
    await api.deps.db.update(users).set({ sipEndpoint: 'head-a' }).where(eq(users.id, a.users.department_head.id));
    await api.deps.db.update(users).set({ sipEndpoint: 'mgr-a' }).where(eq(users.id, a.users.manager.id));
    const head = await softphone(a.users.department_head.id);
    const manager = await softphone(a.users.manager.id);
    expect(head.endpoint).toBe('head-a');
    expect(manager.endpoint).toBe('mgr-a');
    expect(head.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(manager.password).not.toBe(head.password);
    const [row] = await api.deps.db.select().from(sipCredentials).where(eq(sipCredentials.endpoint, 'mgr-a'));
    expect(row!.userId).toBe(a.users.manager.id);
    expect(openSipPassword(secret, 'mgr-a', row!.sealed)).toBe(manager.password);
    const judge = await call(api.url, 'GET', '/api/console/softphone', { cookie: await sessionCookieFor(api.deps.db, a.users.judge.id) });
    expect(judge.status).toBe(403);
  });

  it('keeps the password only sealed: not in the row, and it opens only with the secret and for its endpoint', async () => {
    const mine = await softphone(a.users.operator.id);
    const [row] = await api.deps.db.select().from(sipCredentials).where(eq(sipCredentials.endpoint, mine.endpoint!));
    expect(row!.sealed).not.toContain(mine.password!);
    expect(openSipPassword(secret, mine.endpoint!, row!.sealed)).toBe(mine.password);
    expect(() => openSipPassword('another-secret-of-16+', mine.endpoint!, row!.sealed)).toThrow();
    expect(() => openSipPassword(secret, 'someone-else', row!.sealed)).toThrow();
    expect(sipPasswordDigest(mine.endpoint!, mine.password!)).toMatch(/^MD5:[0-9a-f]{32}$/);
  });

  it('issues a new password when an endpoint passes to another user', async () => {
    const before = await softphone(a.users.operator.id);
    await api.deps.db.update(users).set({ sipEndpoint: `${before.endpoint}-old` }).where(eq(users.id, a.users.operator.id));
    const created = await call(api.url, 'POST', '/api/users', {
      cookie: adminA,
      body: { username: 'successor', displayName: '接替者', role: 'operator', sipEndpoint: before.endpoint, password: 'a long password' },
    });
    expect(created.status).toBe(201);
    const successor = await softphone(created.body.id);
    expect(successor.endpoint).toBe(before.endpoint);
    expect(successor.password).not.toBe(before.password);
    await api.deps.db.update(users).set({ sipEndpoint: null }).where(eq(users.id, created.body.id));
    await api.deps.db.update(users).set({ sipEndpoint: before.endpoint }).where(eq(users.id, a.users.operator.id));
    expect((await softphone(a.users.operator.id)).password).not.toBe(before.password);
  });

  it('issues afresh a password sealed under another secret, rather than failing the console', async () => {
    const mine = await softphone(a.users.operator.id);
    await api.deps.db.update(sipCredentials).set({ sealed: sealSipPassword('an-older-secret-0123456', mine.endpoint!, 'old') }).where(eq(sipCredentials.endpoint, mine.endpoint!));
    const again = await softphone(a.users.operator.id);
    expect(again.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(again.password).not.toBe(mine.password);
    expect((await softphone(a.users.operator.id)).password).toBe(again.password);
  });
});
