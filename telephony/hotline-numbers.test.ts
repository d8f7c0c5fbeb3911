import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../api/audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { eventually, silentLogger } from '../tickets/testing/harness.ts';
import { CourtDirectory } from './courts/court-directory.ts';
import { hotlineNumbers } from './courts/hotline-numbers.sql.ts';

/** The dialled-number → court map from the admin's settings page: own court only, validated, audited, live at once. */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let a: SeededCourt;
let b: SeededCourt;
const cookie = {} as Record<'adminA' | 'managerA' | 'operatorA' | 'adminB', string>;

beforeAll(async () => {
  a = await seedCourt(api.deps.db);
  b = await seedCourt(api.deps.db);
  cookie.adminA = await sessionCookieFor(api.deps.db, a.users.admin.id);
  cookie.managerA = await sessionCookieFor(api.deps.db, a.users.manager.id);
  cookie.operatorA = await sessionCookieFor(api.deps.db, a.users.operator.id);
  cookie.adminB = await sessionCookieFor(api.deps.db, b.users.admin.id);
});

const as = (who: keyof typeof cookie, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookie[who], ...(body !== undefined ? { body } : {}) });
const allRows = async () => (await api.deps.db.select().from(hotlineNumbers)).map((r) => `${r.number}→${r.courtId}`).sort();

describe('hotline numbers', () => {
  it("an admin maps a number to their court; the controllers' directory follows at once; removing it unmaps it; both audited", async () => {
    const directory = new CourtDirectory(api.deps.db, silentLogger);
    await directory.start(api.deps.listen);
    try {
      const created = await as('adminA', 'POST', '/telephony/hotline-numbers', { number: '12368001' });
      expect(created).toMatchObject({ status: 201, body: { number: '12368001' } });
      expect((await as('adminA', 'GET', '/telephony/hotline-numbers')).body.map((n: { number: string }) => n.number)).toEqual(['12368001']);
      await eventually(() => directory.courtFor({ dialled: '12368001' }) === a.courtId, 5000, 'the number routes to court A (NOTIFY reload)');

      expect(await as('adminA', 'DELETE', '/telephony/hotline-numbers/12368001')).toMatchObject({ status: 204 });
      await eventually(() => directory.courtFor({ dialled: '12368001' }) === null, 5000, 'the number routes nowhere again');
      expect((await as('adminA', 'GET', '/telephony/hotline-numbers')).body).toEqual([]);
    } finally {
      await directory.stop();
    }
    await expect
      .poll(async () =>
        (await api.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'admin.action'), eq(auditLog.actorUserId, a.users.admin.id)))).map((e) => {
          const d = e.detail as { method: string; route: string; status: number };
          return `${d.method} ${d.route} ${d.status}`;
        }),
      )
      .toEqual(expect.arrayContaining(['POST /api/telephony/hotline-numbers 201', 'DELETE /api/telephony/hotline-numbers/:number 204']));
  });

  it('refuses a malformed number with a 400 and a number twice with a 409, changing nothing', async () => {
    expect((await as('adminA', 'POST', '/telephony/hotline-numbers', { number: '12368002' })).status).toBe(201);
    const before = await allRows();
    for (const number of ['12', 'abc123', '123 456', '', '1'.repeat(33)]) {
      const res = await as('adminA', 'POST', '/telephony/hotline-numbers', { number });
      expect(res.status).toBe(400);
      expect(res.body.message).toBeTruthy();
    }
    expect((await as('adminA', 'POST', '/telephony/hotline-numbers', { number: '12368002', courtId: b.courtId })).status).toBe(400);
    const twice = await as('adminA', 'POST', '/telephony/hotline-numbers', { number: '12368002' });
    expect(twice).toMatchObject({ status: 409, body: { code: 'number_exists' } });
    expect(await allRows()).toEqual(before);
  });

  it("other roles get 403; another court's admin neither sees, takes nor removes this court's number", async () => {
    expect((await as('adminA', 'POST', '/telephony/hotline-numbers', { number: '12368003' })).status).toBe(201);
    const before = await allRows();
    for (const who of ['managerA', 'operatorA'] as const) {
      expect((await as(who, 'GET', '/telephony/hotline-numbers')).status).toBe(403);
      expect((await as(who, 'POST', '/telephony/hotline-numbers', { number: '12368004' })).status).toBe(403);
      expect((await as(who, 'DELETE', '/telephony/hotline-numbers/12368003')).status).toBe(403);
    }
    expect((await as('adminB', 'GET', '/telephony/hotline-numbers')).body).toEqual([]);
    expect(await as('adminB', 'POST', '/telephony/hotline-numbers', { number: '12368003' })).toMatchObject({ status: 409, body: { code: 'number_taken' } });
    expect((await as('adminB', 'DELETE', '/telephony/hotline-numbers/12368003')).status).toBe(404);
    expect(await allRows()).toEqual(before);
    expect(before).toContain(`12368003→${a.courtId}`);
  });
});
