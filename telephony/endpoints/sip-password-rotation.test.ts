import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../api/audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';

/** Issue 19: an admin rotates an operator's SIP password (POST /api/users/{id}/sip-password). */
const secret = 'sip-password-test-secret-0123';
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000', HOTLINE_SIP_PASSWORD_SECRET: secret });
let a: SeededCourt;
let b: SeededCourt;
let adminA: string;

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

describe('SIP password rotation', () => {
  it('an admin rotates an operator’s password: a new one, audited without it; another court’s operator is not theirs', async () => {
    const before = await softphone(a.users.operator.id);
    const res = await call(api.url, 'POST', `/api/users/${a.users.operator.id}/sip-password`, { cookie: adminA });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ endpoint: before.endpoint, apply: expect.stringContaining('telephony:endpoints') });
    expect(JSON.stringify(res.body)).not.toContain(before.password!);
    const after = await softphone(a.users.operator.id);
    expect(after.endpoint).toBe(before.endpoint);
    expect(after.password).not.toBe(before.password);
    const entries = await api.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'user.sip_password_rotated'), eq(auditLog.targetId, a.users.operator.id)));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorUserId: a.users.admin.id, courtId: a.courtId, detail: { endpoint: before.endpoint } });
    expect(JSON.stringify(entries[0])).not.toContain(after.password!);

    const theirs = await softphone(b.users.operator.id);
    expect((await call(api.url, 'POST', `/api/users/${b.users.operator.id}/sip-password`, { cookie: adminA })).status).toBe(404);
    expect((await softphone(b.users.operator.id)).password).toBe(theirs.password);
    // Not an admin, no rotation; a user without an endpoint has nothing to rotate.
    const operatorCookie = await sessionCookieFor(api.deps.db, a.users.operator.id);
    expect((await call(api.url, 'POST', `/api/users/${a.users.operator.id}/sip-password`, { cookie: operatorCookie })).status).toBe(403);
    expect((await call(api.url, 'POST', `/api/users/${a.users.judge.id}/sip-password`, { cookie: adminA })).status).toBe(409);
  });
});
