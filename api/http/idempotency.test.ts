import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { users } from '../../platform/directory.sql.ts';
import { tickets } from '../../tickets/tickets.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';

const api = await useApi({ HOTLINE_ROLES: 'api,workers' });
let court: SeededCourt;
let admin: string;
let otherAdmin: string;
let operator: string;
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
  otherAdmin = await sessionCookieFor(api.deps.db, (await seedCourt(api.deps.db)).users.admin.id);
  operator = await sessionCookieFor(api.deps.db, court.users.operator.id);
});

const newUser = (username: string) => ({ username, displayName: '幂等测试', role: 'judge', password: 'a long password' });

describe('Idempotency-Key on creating routes', () => {
  it('POST /api/tickets twice with one key makes one ticket and answers the first reply again', async () => {
    const key = randomUUID();
    const body = { summary: '查询案件进度（幂等）', callerNumber: '13900000077' };
    const first = await call(api.url, 'POST', '/api/tickets', { cookie: operator, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const again = await call(api.url, 'POST', '/api/tickets', { cookie: operator, body, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await api.deps.db.select().from(tickets).where(eq(tickets.summary, body.summary))).toHaveLength(1);
  });

  it('without a key, the same ticket POSTed twice is two tickets (the header is how a client asks for once-only)', async () => {
    const body = { summary: '无键重复提交', callerNumber: '13900000078' };
    const a = await call(api.url, 'POST', '/api/tickets', { cookie: operator, body });
    const b = await call(api.url, 'POST', '/api/tickets', { cookie: operator, body });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('POST /api/users: one user for one key; the key with another body is 422 and creates nothing', async () => {
    const key = randomUUID();
    const first = await call(api.url, 'POST', '/api/users', { cookie: admin, body: newUser('idem-1'), headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const again = await call(api.url, 'POST', '/api/users', { cookie: admin, body: newUser('idem-1'), headers: { 'idempotency-key': key } });
    expect(again.status).toBe(201); // not 409 "username taken": the first answer, replayed
    expect(again.body.id).toBe(first.body.id);
    const reused = await call(api.url, 'POST', '/api/users', { cookie: admin, body: newUser('idem-2'), headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await api.deps.db.select().from(users).where(eq(users.username, 'idem-2'))).toHaveLength(0);
  });

  it('keys are per user: another user’s same key runs their own request', async () => {
    const key = randomUUID();
    const mine = await call(api.url, 'POST', '/api/users', { cookie: admin, body: newUser('idem-3'), headers: { 'idempotency-key': key } });
    // Usernames are unique across the deployment, so the bodies differ: from one user that would be 422.
    const theirs = await call(api.url, 'POST', '/api/users', { cookie: otherAdmin, body: newUser('idem-3b'), headers: { 'idempotency-key': key } });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.courtId).not.toBe(mine.body.courtId);
  });

  it('a refused request is replayed as refused, and a malformed key is 400', async () => {
    const key = randomUUID();
    const weak = { ...newUser('idem-4'), password: '1234567890' };
    expect((await call(api.url, 'POST', '/api/users', { cookie: admin, body: weak, headers: { 'idempotency-key': key } })).status).toBe(422);
    const replay = await call(api.url, 'POST', '/api/users', { cookie: admin, body: weak, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(422);
    expect(replay.body.code).toBe('weak_password');
    const bad = await call(api.url, 'POST', '/api/users', { cookie: admin, body: newUser('idem-5'), headers: { 'idempotency-key': 'x'.repeat(300) } });
    expect(bad.status).toBe(400);
  });
});
