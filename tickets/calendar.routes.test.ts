import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { chinaDay } from '../platform/calendar/working-calendar.ts';
import { serviceOf } from '../platform/deps.ts';
import { CourtCalendars } from '../telephony/hours/calendar.ts';
import { eventually, silentLogger } from './testing/harness.ts';

/**
 * One calendar per court (issue 19): an admin's PUT /api/calendar changes their own court's deadlines and hotline
 * hours, never another court's; the hotline and the deadlines read the same calendar; the years are bounded.
 */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let a: SeededCourt;
let b: SeededCourt;
const cookie = {} as Record<'adminA' | 'operatorA' | 'adminB' | 'operatorB', string>;

beforeAll(async () => {
  a = await seedCourt(api.deps.db);
  b = await seedCourt(api.deps.db);
  cookie.adminA = await sessionCookieFor(api.deps.db, a.users.admin.id);
  cookie.operatorA = await sessionCookieFor(api.deps.db, a.users.operator.id);
  cookie.adminB = await sessionCookieFor(api.deps.db, b.users.admin.id);
  cookie.operatorB = await sessionCookieFor(api.deps.db, b.users.operator.id);
});

const as = (who: keyof typeof cookie, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookie[who], ...(body !== undefined ? { body } : {}) });

/** A ticket of the court handed off now to its judge; its deadline. */
async function handedOffDeadline(who: 'operatorA' | 'operatorB', court: SeededCourt): Promise<string> {
  const created = await as(who, 'POST', '/tickets', { summary: '询问开庭时间', callerNumber: '13800000000', category: 'enquiry' });
  expect(created.status).toBe(201);
  const handed = await as(who, 'POST', `/tickets/${created.body.id}/handoff`, { handlerUserId: court.users.judge.id });
  expect(handed.status).toBe(200);
  return handed.body.deadline as string;
}

describe('one calendar per court', () => {
  it("court A's admin sets a holiday: A's deadlines move past it, B's do not", async () => {
    const dueB = await handedOffDeadline('operatorB', b);
    const lastDay = chinaDay(new Date(dueB));
    expect(await handedOffDeadline('operatorA', a)).toBe(dueB);

    const set = await as('adminA', 'PUT', '/calendar', { day: lastDay, kind: 'holiday', name: '本院停止对外办公', source: '本院通知' });
    expect(set).toMatchObject({ status: 200, body: { day: lastDay, kind: 'holiday', origin: 'court' } });

    expect(new Date(await handedOffDeadline('operatorA', a)).getTime()).toBeGreaterThan(new Date(dueB).getTime());
    expect(await handedOffDeadline('operatorB', b)).toBe(dueB);
    const year = Number(lastDay.slice(0, 4));
    expect((await as('operatorA', 'GET', `/calendar/${year}`)).body).toContainEqual(expect.objectContaining({ day: lastDay, origin: 'court' }));
    expect((await as('operatorB', 'GET', `/calendar/${year}`)).body).not.toContainEqual(expect.objectContaining({ day: lastDay, origin: 'court' }));

    expect(await as('adminA', 'DELETE', `/calendar/${lastDay}`)).toMatchObject({ status: 204 });
    expect(await handedOffDeadline('operatorA', a)).toBe(dueB);
    expect(await as('adminA', 'DELETE', `/calendar/${lastDay}`)).toMatchObject({ status: 404 });
  });

  it('the hotline reads the same calendar: a holiday for A closes A’s menu (after hours), not B’s, at once', async () => {
    const week = { sessions: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '23:59' })) };
    expect(await as('adminA', 'PUT', '/business-hours', week)).toMatchObject({ status: 200, body: week });
    expect(await as('adminB', 'PUT', '/business-hours', week)).toMatchObject({ status: 200 });
    expect((await as('operatorA', 'GET', '/business-hours')).body).toEqual(week);

    const hotline = new CourtCalendars(serviceOf(api.deps, 'tickets'), silentLogger);
    await hotline.start(api.deps.listen);
    try {
      const noon = new Date(`${chinaDay(new Date())}T12:00:00+08:00`);
      const today = chinaDay(noon);
      await eventually(() => hotline.isOpen(a.courtId, noon) && hotline.isOpen(b.courtId, noon), 5000, 'both courts open');
      expect(await as('adminA', 'PUT', '/calendar', { day: today, kind: 'holiday', name: '临时闭院', source: '本院通知' })).toMatchObject({ status: 200 });
      await eventually(() => !hotline.isOpen(a.courtId, noon), 5000, "court A's hotline closed by its holiday (NOTIFY reload)");
      expect(hotline.isOpen(b.courtId, noon)).toBe(true);
      await as('adminA', 'DELETE', `/calendar/${today}`);
      await eventually(() => hotline.isOpen(a.courtId, noon), 5000, "court A's hotline open again");
    } finally {
      await hotline.stop();
    }
  });

  it('refuses the years 1 and 9999, and a bad week of hours, with a 400 that changes nothing', async () => {
    for (const day of ['0001-01-01', '9999-12-31', '1999-12-31', '2101-01-01']) {
      const put = await as('adminA', 'PUT', '/calendar', { day, kind: 'holiday', name: 'x', source: 'y' });
      expect(put.status, day).toBe(400);
      expect(put.body).toMatchObject({ code: expect.any(String), message: expect.stringContaining('2000'), message_zh: expect.any(String) });
    }
    expect((await as('adminA', 'DELETE', '/calendar/9999-12-31')).status).toBe(400);
    expect((await as('operatorA', 'GET', '/calendar/1')).status).toBe(400);
    expect((await as('operatorA', 'GET', '/calendar/9999')).status).toBe(400);
    const before = (await as('operatorA', 'GET', '/business-hours')).body;
    for (const sessions of [[{ weekday: 8, opens: '08:00', closes: '12:00' }], [{ weekday: 1, opens: '12:00', closes: '08:00' }], [{ weekday: 1, opens: '24:00', closes: '25:00' }]]) {
      expect((await as('adminA', 'PUT', '/business-hours', { sessions })).status).toBe(400);
    }
    expect((await as('operatorA', 'GET', '/business-hours')).body).toEqual(before);
  });

  it('only an admin changes the calendar or the hours', async () => {
    expect((await as('operatorA', 'PUT', '/calendar', { day: '2026-03-04', kind: 'holiday', name: 'x', source: 'y' })).status).toBe(403);
    expect((await as('operatorA', 'PUT', '/business-hours', { sessions: [] })).status).toBe(403);
    expect((await as('operatorA', 'DELETE', '/calendar/2026-03-04')).status).toBe(403);
  });
});
