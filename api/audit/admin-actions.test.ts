import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from './audit.sql.ts';
import { call, seedCourt, sessionCookieFor, testPassword, useApi, type SeededCourt } from '../testing/fixtures.ts';

const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '3', HOTLINE_LOCKOUT_ATTEMPTS: '2' });
let court: SeededCourt;
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
});

const entries = (action: string) => api.deps.db.select().from(auditLog).where(eq(auditLog.action, action));

describe('the audit trail has every sign-in, failure, lock and admin action', () => {
  it('an admin’s change outside the user and department pages (the SMS switch) is recorded, without its body', async () => {
    const admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
    const res = await call(api.url, 'PUT', '/api/tickets/sms', { cookie: admin, body: { handoffNotice: false } });
    expect(res.status).toBeLessThan(300);
    const [entry] = await api.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'admin.action'), eq(auditLog.actorUserId, court.users.admin.id)));
    expect(entry).toMatchObject({ courtId: court.courtId, detail: { method: 'PUT', route: '/api/tickets/sms', status: res.status } });
    expect(JSON.stringify(entry?.detail)).not.toContain('handoffNotice');
    // Seen by the court's admin in GET /api/audit.
    const trail = await call(api.url, 'GET', '/api/audit', { cookie: admin });
    expect(trail.body.map((e: { action: string }) => e.action)).toContain('admin.action');
  });

  it('a change sent twice with one Idempotency-Key is recorded once: the replayed answer changed nothing', async () => {
    const admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
    const code = `replay_${Date.now().toString(36)}`;
    const send = () =>
      call(api.url, 'POST', '/api/ticket-categories', {
        cookie: admin,
        headers: { 'idempotency-key': `k-${code}` },
        body: { code, nameZh: '重放测试', nameEn: 'Replay test', deadlineDays: 5 },
      });
    const first = await send();
    expect(first.status).toBe(201);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const created = (await entries('admin.action')).filter((e) => (e.detail as { url?: string }).url === '/api/ticket-categories');
    expect(created).toHaveLength(1);
  });

  it('an operator’s own work is not an admin action', async () => {
    const operator = await sessionCookieFor(api.deps.db, court.users.operator.id);
    await call(api.url, 'POST', '/api/tickets', { cookie: operator, body: { summary: '咨询立案材料', callerNumber: '13900000091' } });
    const mine = await api.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'admin.action'), eq(auditLog.actorUserId, court.users.operator.id)));
    expect(mine).toHaveLength(0);
  });

  it('a failed sign-in, the lock it causes and a rate-limited sign-in are each recorded', async () => {
    const { username } = court.users.judge;
    for (let i = 0; i < 2; i++) await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: 'not the password' } });
    expect((await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: testPassword } })).status).toBe(423);
    const limited = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: testPassword } });
    expect(limited.status).toBe(429);
    expect((await entries('sign_in.failed')).length).toBeGreaterThanOrEqual(1);
    expect((await entries('sign_in.locked')).length).toBeGreaterThanOrEqual(1);
    // Written before the answer left: no waiting.
    expect((await entries('sign_in.rate_limited')).length).toBeGreaterThanOrEqual(1);
  });
});
