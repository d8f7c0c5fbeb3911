import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../platform/directory.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';

/** Issue 19: one court's admin could give a new user another court's operator endpoint, and with it that line. */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let courtA: SeededCourt;
let courtB: SeededCourt;
let adminA: string;
const body = (username: string, extra: Record<string, unknown> = {}) => ({ username, displayName: '话务员', role: 'operator', password: 'a long password', ...extra });


async function endpointOf(userId: string): Promise<string | null> {
  const [row] = await api.deps.db.select({ e: users.sipEndpoint }).from(users).where(eq(users.id, userId));
  return row?.e ?? null;
}

beforeAll(async () => {
  courtA = await seedCourt(api.deps.db);
  courtB = await seedCourt(api.deps.db);
  adminA = await sessionCookieFor(api.deps.db, courtA.users.admin.id);
});

describe('softphone endpoints are unique across the deployment', () => {
  it('refuses court B’s operator endpoint to court A’s admin with 409, saying nothing of court B', async () => {
    const taken = (await endpointOf(courtB.users.operator.id))!;
    const res = await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('a-takeover', { sipEndpoint: taken }) });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict' });
    expect(res.body.message_zh).toContain('软电话分机名已被占用');
    expect(JSON.stringify(res.body)).not.toContain(courtB.courtId);
    expect(await api.deps.db.select().from(users).where(eq(users.username, 'a-takeover'))).toHaveLength(0);
  });

  it('refuses a duplicate inside one court, on create and on update', async () => {
    const mine = (await endpointOf(courtA.users.operator.id))!;
    expect((await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('a-dup', { sipEndpoint: mine }) })).status).toBe(409);
    const other = await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('a-second', { sipEndpoint: 'a-second-line' }) });
    expect(other.status).toBe(201);
    const moved = await call(api.url, 'PATCH', `/api/users/${other.body.id}`, { cookie: adminA, body: { sipEndpoint: mine } });
    expect(moved.status).toBe(409);
    expect(await endpointOf(other.body.id)).toBe('a-second-line');
    const theirs = (await endpointOf(courtB.users.operator.id))!;
    expect((await call(api.url, 'PATCH', `/api/users/${other.body.id}`, { cookie: adminA, body: { sipEndpoint: theirs } })).status).toBe(409);
    // Keeping one's own endpoint is no clash.
    expect((await call(api.url, 'PATCH', `/api/users/${other.body.id}`, { cookie: adminA, body: { sipEndpoint: 'a-second-line' } })).status).toBe(200);
  });

  it('keeps the desk phones’ ext- names for desk phones', async () => {
    expect((await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('a-desk', { sipEndpoint: 'ext-8001' }) })).status).toBe(409);
  });

  it('the database refuses a duplicate too, whatever the route checked', async () => {
    const theirs = (await endpointOf(courtB.users.operator.id))!;
    await expect(api.deps.db.update(users).set({ sipEndpoint: theirs }).where(eq(users.id, courtA.users.operator.id))).rejects.toThrow();
  });

  it('gives an operator created without an endpoint one made from the court code and username', async () => {
    const res = await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('zhang.san') });
    expect(res.status).toBe(201);
    expect(res.body.sipEndpoint).toMatch(/^C[0-9a-f]{6}-zhang\.san$/);
    expect(res.body.sipEndpoint).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
    // A name given by hand that equals the default pushes the next one along.
    const code = res.body.sipEndpoint.split('-')[0];
    const squatter = await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('squatter', { sipEndpoint: `${code}-li.si` }) });
    expect(squatter.status).toBe(201);
    const li = await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('li.si') });
    expect(li.body.sipEndpoint).toBe(`${code}-li.si-2`);
    // Not an operator, no endpoint; an explicit null means none yet.
    const judge = await call(api.url, 'POST', '/api/users', { cookie: adminA, body: { ...body('judge-x'), role: 'judge' } });
    expect(judge.body.sipEndpoint).toBeNull();
    const none = await call(api.url, 'POST', '/api/users', { cookie: adminA, body: body('no-phone', { sipEndpoint: null }) });
    expect(none.body.sipEndpoint).toBeNull();
    // Becoming an operator gives the default.
    const promoted = await call(api.url, 'PATCH', `/api/users/${judge.body.id}`, { cookie: adminA, body: { role: 'operator' } });
    expect(promoted.body.sipEndpoint).toBe(`${code}-judge-x`);
  });

  it('lists no renames on a fresh database', async () => {
    const res = await call(api.url, 'GET', '/api/users/sip-endpoint-renames', { cookie: adminA });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });
});
