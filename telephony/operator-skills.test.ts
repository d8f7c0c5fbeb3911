import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../api/audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { LiveState } from './acd/live-state.ts';
import { operatorSkills } from './telephony.sql.ts';

/** Operators' skills from the admin's settings page: validated, audited, court-scoped, live at once. */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let a: SeededCourt;
let b: SeededCourt;
const cookie = {} as Record<'adminA' | 'managerA' | 'operatorA' | 'judgeA' | 'adminB', string>;

beforeAll(async () => {
  a = await seedCourt(api.deps.db);
  b = await seedCourt(api.deps.db);
  cookie.adminA = await sessionCookieFor(api.deps.db, a.users.admin.id);
  cookie.managerA = await sessionCookieFor(api.deps.db, a.users.manager.id);
  cookie.operatorA = await sessionCookieFor(api.deps.db, a.users.operator.id);
  cookie.judgeA = await sessionCookieFor(api.deps.db, a.users.judge.id);
  cookie.adminB = await sessionCookieFor(api.deps.db, b.users.admin.id);
});

const as = (who: keyof typeof cookie, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookie[who], ...(body !== undefined ? { body } : {}) });
const rowsOf = async (userId: string) => (await api.deps.db.select().from(operatorSkills).where(eq(operatorSkills.userId, userId))).map((r) => r.skill).sort();

describe('operator skills', () => {
  it("the admin lists the court's operators only, sets one's skills, the queue's live state follows at once and the change is audited", async () => {
    const listed = await as('adminA', 'GET', '/telephony/operator-skills');
    expect(listed.status).toBe(200);
    expect(listed.body.skills).toEqual(expect.arrayContaining(['judge_contact', 'enquiry', 'complaint', 'general']));
    expect(listed.body.operators).toEqual([expect.objectContaining({ userId: a.users.operator.id, skills: [] })]);

    // The operator is in the queue (as after choosing 空闲) with every skill.
    const live = new LiveState(api.deps.redis, api.prefix);
    await live.register({ userId: a.users.operator.id, courtId: a.courtId, endpoint: 'opA', skills: [] });

    const set = await as('adminA', 'PUT', `/telephony/operator-skills/${a.users.operator.id}`, { skills: ['enquiry', 'complaint'] });
    expect(set.status).toBe(200);
    expect(set.body.operators[0]).toMatchObject({ userId: a.users.operator.id, skills: ['complaint', 'enquiry'] });
    expect(await rowsOf(a.users.operator.id)).toEqual(['complaint', 'enquiry']);
    expect((await live.operator(a.users.operator.id))?.skills.sort()).toEqual(['complaint', 'enquiry']);
    expect((await as('managerA', 'GET', '/telephony/operator-skills')).body.operators[0].skills).toEqual(['complaint', 'enquiry']);

    await expect
      .poll(async () =>
        (await api.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'admin.action'), eq(auditLog.actorUserId, a.users.admin.id)))).map((e) => e.detail),
      )
      .toContainEqual(expect.objectContaining({ method: 'PUT', route: '/api/telephony/operator-skills/:userId', status: 200 }));

    // None again: takes every call.
    expect((await as('adminA', 'PUT', `/telephony/operator-skills/${a.users.operator.id}`, { skills: [] })).status).toBe(200);
    expect(await rowsOf(a.users.operator.id)).toEqual([]);
  });

  it('refuses an unknown or repeated skill with a 400 that changes nothing', async () => {
    await as('adminA', 'PUT', `/telephony/operator-skills/${a.users.operator.id}`, { skills: ['enquiry'] });
    for (const skills of [['enquiry', 'enquiry'], ['no_such_skill'], 'enquiry']) {
      const res = await as('adminA', 'PUT', `/telephony/operator-skills/${a.users.operator.id}`, { skills });
      expect(res.status).toBe(400);
      expect(res.body.message).toBeTruthy();
    }
    expect((await as('adminA', 'PUT', `/telephony/operator-skills/${a.users.operator.id}`, { skills: ['enquiry'], extra: 1 })).status).toBe(400);
    expect(await rowsOf(a.users.operator.id)).toEqual(['enquiry']);
  });

  it('other roles get 403; another court’s admin neither sees nor changes this court’s operators; a non-operator is not found', async () => {
    expect((await as('operatorA', 'GET', '/telephony/operator-skills')).status).toBe(403);
    expect((await as('judgeA', 'GET', '/telephony/operator-skills')).status).toBe(403);
    for (const who of ['operatorA', 'managerA', 'judgeA'] as const) {
      expect((await as(who, 'PUT', `/telephony/operator-skills/${a.users.operator.id}`, { skills: ['general'] })).status).toBe(403);
    }
    const seenByB = await as('adminB', 'GET', '/telephony/operator-skills');
    expect(seenByB.body.operators.map((o: { userId: string }) => o.userId)).toEqual([b.users.operator.id]);
    expect((await as('adminB', 'PUT', `/telephony/operator-skills/${a.users.operator.id}`, { skills: ['general'] })).status).toBe(404);
    expect((await as('adminA', 'PUT', `/telephony/operator-skills/${a.users.judge.id}`, { skills: ['general'] })).status).toBe(404);
    expect(await rowsOf(a.users.operator.id)).toEqual(['enquiry']);
    expect(await rowsOf(a.users.judge.id)).toEqual([]);
  });
});
