import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../api/audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { serviceOf } from '../platform/deps.ts';
import { expireRecordings } from './recordings/jobs.ts';
import { recordedCall } from './recordings/testing/recorded-call.ts';

// A court's recording retention and legal holds over real HTTP, PostgreSQL and Redis: the admin sets the days (checked,
// audited, its effect shown at once); the court's heads, managers and admin hold and release a recording (audited);
// the daily run uses each court's days and never removes a held recording.
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000', TELEPHONY_RECORDING_RETENTION_DAYS: '180' });
const runtime = () => serviceOf(api.deps, 'telephonyRecordings').context;
let a: SeededCourt;
let b: SeededCourt;
const cookie = {} as Record<'admin' | 'manager' | 'head' | 'operator' | 'judge' | 'adminB', string>;
let old: Awaited<ReturnType<typeof recordedCall>>;
let mid: Awaited<ReturnType<typeof recordedCall>>;
let recent: Awaited<ReturnType<typeof recordedCall>>;
let gone: Awaited<ReturnType<typeof recordedCall>>;
let lost: Awaited<ReturnType<typeof recordedCall>>;
let oldInB: Awaited<ReturnType<typeof recordedCall>>;
let midInB: Awaited<ReturnType<typeof recordedCall>>;

beforeAll(async () => {
  const db = api.deps.db;
  a = await seedCourt(db);
  b = await seedCourt(db);
  cookie.admin = await sessionCookieFor(db, a.users.admin.id);
  cookie.manager = await sessionCookieFor(db, a.users.manager.id);
  cookie.head = await sessionCookieFor(db, a.users.department_head.id);
  cookie.operator = await sessionCookieFor(db, a.users.operator.id);
  cookie.judge = await sessionCookieFor(db, a.users.judge.id);
  cookie.adminB = await sessionCookieFor(db, b.users.admin.id);
  const dir = runtime().dir;
  old = await recordedCall(db, { courtId: a.courtId, dir, daysAgo: 200 });
  mid = await recordedCall(db, { courtId: a.courtId, dir, daysAgo: 100 });
  recent = await recordedCall(db, { courtId: a.courtId, dir, daysAgo: 10 });
  gone = await recordedCall(db, { courtId: a.courtId, dir, daysAgo: 300, status: 'removed' });
  lost = await recordedCall(db, { courtId: a.courtId, dir, daysAgo: 5, status: 'missing' });
  oldInB = await recordedCall(db, { courtId: b.courtId, dir, daysAgo: 190 });
  midInB = await recordedCall(db, { courtId: b.courtId, dir, daysAgo: 100 });
}, 60_000);

const as = (who: keyof typeof cookie, method: string, path: string, body?: unknown) => call(api.url, method, `/api/telephony${path}`, { cookie: cookie[who], ...(body !== undefined ? { body } : {}) });
const statusOf = async (callId: string) => (await api.deps.db.execute<{ status: string }>(sql`select status::text as status from telephony.recordings where call_id = ${callId}`)).rows[0]?.status;
const holdRows = async () => (await api.deps.db.execute<{ n: string }>(sql`select count(*) as n from telephony.recording_holds`)).rows[0]!.n;
const daysAfter = (at: Date, days: number) => new Date(at.getTime() + days * 86_400_000).toISOString();

describe('recording retention (录音保存期限), a court admin’s setting', () => {
  it('starts at the deployment’s days and shows what the next daily run removes and when the oldest kept one expires; ?days= previews', async () => {
    const res = await as('admin', 'GET', '/recording-retention');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: 180, own: false, defaultDays: 180, min: 30, max: 3650, updatedAt: null });
    expect(res.body.effect).toEqual({ days: 180, stored: 3, held: 0, dueNow: 1, oldestKeptExpiresAt: daysAfter(mid.arrivedAt, 180) });
    // The daily run's scheduler is the workers' (not this api-only process): unknown here, said so.
    expect(res.body.nextRunAt).toBeNull();
    const preview = await as('admin', 'GET', '/recording-retention?days=60');
    expect(preview.body.effect).toEqual({ days: 60, stored: 3, held: 0, dueNow: 2, oldestKeptExpiresAt: daysAfter(recent.arrivedAt, 60) });
    expect(preview.body).toMatchObject({ days: 180, own: false });
    expect((await as('admin', 'GET', '/recording-retention?days=7')).status).toBe(400);
  });

  it('says when the daily run comes next once the workers have scheduled it (read from Redis, any process)', async () => {
    const queue = serviceOf(api.deps, 'telephonyRecordings').queue;
    await queue.upsertJobScheduler('recordings-expire', { every: 24 * 3600_000 }, { name: 'expire', data: {} });
    const next = (await queue.getJobScheduler('recordings-expire'))!.next!;
    expect((await as('admin', 'GET', '/recording-retention')).body.nextRunAt).toBe(new Date(next).toISOString());
    await queue.removeJobScheduler('recordings-expire');
  });

  it('refuses days out of 30–3650 or not whole with a clear 400, changing nothing; saves 60 and answers its effect at once; audited', async () => {
    for (const days of [29, 3651, 0, -5, 45.5, '60', null]) {
      const res = await as('admin', 'PUT', '/recording-retention', { days });
      expect(res.status, `days ${days}`).toBe(400);
      expect(res.body.code).toBe('invalid_input');
    }
    expect((await as('admin', 'PUT', '/recording-retention', { days: 20 })).body.message_zh).toContain('至少 30 天');
    expect((await as('admin', 'PUT', '/recording-retention', { days: 60, extra: 1 })).status).toBe(400);
    expect((await as('admin', 'GET', '/recording-retention')).body).toMatchObject({ days: 180, own: false });

    const saved = await as('admin', 'PUT', '/recording-retention', { days: 60 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ days: 60, own: true, updatedAt: expect.any(String) });
    expect(saved.body.effect).toMatchObject({ days: 60, dueNow: 2 });
    // Court B is untouched.
    expect((await as('adminB', 'GET', '/recording-retention')).body).toMatchObject({ days: 180, own: false, effect: { stored: 2, dueNow: 1 } });
    await expect
      .poll(async () =>
        (await api.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'admin.action'), eq(auditLog.actorUserId, a.users.admin.id)))).map((e) => {
          const d = e.detail as { method: string; route: string; status: number };
          return `${d.method} ${d.route} ${d.status}`;
        }),
      )
      .toEqual(expect.arrayContaining(['PUT /api/telephony/recording-retention 400', 'PUT /api/telephony/recording-retention 200']));
  });

  it('is the admin’s alone', async () => {
    for (const who of ['manager', 'head', 'operator', 'judge'] as const) {
      expect((await as(who, 'PUT', '/recording-retention', { days: 90 })).status).toBe(403);
      expect((await as(who, 'GET', '/recording-retention')).status).toBe(403);
    }
    expect((await as('admin', 'GET', '/recording-retention')).body.days).toBe(60);
  });
});

describe('legal hold on a recording (录音保全)', () => {
  let midHold: string;

  it('the court’s manager and department head put holds on with a reason; both audited with the reason', async () => {
    const placed = await as('manager', 'POST', `/calls/${mid.callId}/recording-holds`, { reason: '当事人投诉，待复查' });
    expect(placed.status).toBe(201);
    expect(placed.body).toEqual([
      expect.objectContaining({ callId: mid.callId, kind: 'conversation', reason: '当事人投诉，待复查', recordingStatus: 'stored', placedBy: { id: a.users.manager.id, name: expect.any(String), role: 'manager' }, lifted: null, mayLift: true }),
    ]);
    midHold = placed.body[0].id;
    expect((await as('head', 'POST', `/calls/${old.callId}/recording-holds`, { kind: 'conversation', reason: '（2025）案件评查' })).status).toBe(201);
    const audits = await api.deps.db.select().from(auditLog).where(eq(auditLog.action, 'recording.hold_placed'));
    expect(audits.map((e) => [e.actorUserId, e.targetId, (e.detail as { reason: string }).reason]).sort()).toEqual(
      [
        [a.users.manager.id, mid.callId, '当事人投诉，待复查'],
        [a.users.department_head.id, old.callId, '（2025）案件评查'],
      ].sort(),
    );
    expect((await as('admin', 'GET', '/recording-retention')).body.effect).toMatchObject({ held: 2, dueNow: 0, oldestKeptExpiresAt: daysAfter(recent.arrivedAt, 60) });
  });

  it('refuses bad input, a second hold, a removed or missing recording, other roles and other courts, changing nothing', async () => {
    const before = await holdRows();
    const refusals: Array<[keyof typeof cookie, string, unknown, number, string]> = [
      ['manager', `/calls/${recent.callId}/recording-holds`, { reason: '' }, 400, 'invalid_input'],
      ['manager', `/calls/${recent.callId}/recording-holds`, { reason: ' 复 ' }, 400, 'invalid_input'],
      ['manager', `/calls/${recent.callId}/recording-holds`, { reason: '长'.repeat(501) }, 400, 'invalid_input'],
      ['manager', `/calls/${recent.callId}/recording-holds`, {}, 400, 'invalid_input'],
      ['manager', `/calls/${recent.callId}/recording-holds`, { reason: '投诉复查', kind: 'video' }, 400, 'invalid_input'],
      ['manager', `/calls/not-a-uuid/recording-holds`, { reason: '投诉复查' }, 400, 'invalid_input'],
      ['manager', `/calls/${mid.callId}/recording-holds`, { reason: '再次保全' }, 409, 'recording_already_held'],
      ['admin', `/calls/${gone.callId}/recording-holds`, { reason: '投诉复查' }, 410, 'recording_removed'],
      ['admin', `/calls/${lost.callId}/recording-holds`, { reason: '投诉复查' }, 404, 'recording_not_found'],
      ['admin', `/calls/${recent.callId}/recording-holds`, { reason: '投诉复查', kind: 'message' }, 404, 'recording_not_found'],
      ['adminB', `/calls/${recent.callId}/recording-holds`, { reason: '投诉复查' }, 404, 'call_not_found'],
      ['operator', `/calls/${recent.callId}/recording-holds`, { reason: '投诉复查' }, 403, 'forbidden'],
      ['judge', `/calls/${recent.callId}/recording-holds`, { reason: '投诉复查' }, 403, 'forbidden'],
    ];
    for (const [who, path, body, status, code] of refusals) {
      const res = await as(who, 'POST', path, body);
      expect([res.status, res.body.code], `${who} ${path} ${JSON.stringify(body).slice(0, 40)}`).toEqual([status, code]);
      expect(res.body.message_zh).toBeTruthy();
    }
    expect((await as('admin', 'POST', `/calls/${gone.callId}/recording-holds`, { reason: '投诉复查' })).body.message_zh).toContain('已超过保存期限并被删除');
    expect((await as('adminB', 'GET', `/calls/${mid.callId}/recording-holds`)).status).toBe(404);
    expect((await as('adminB', 'POST', `/recording-holds/${midHold}/lift`, { reason: '越权解除' })).status).toBe(404);
    expect((await as('manager', 'POST', `/recording-holds/${midHold}/lift`, { reason: '' })).status).toBe(400);
    expect((await as('operator', 'POST', `/recording-holds/${midHold}/lift`, { reason: '越权解除' })).status).toBe(403);
    expect(await holdRows()).toBe(before);
    expect((await as('admin', 'GET', `/calls/${mid.callId}/recording-holds`)).body[0].lifted).toBeNull();
  });

  it('the daily run uses each court’s days and removes no held recording; lifted, the hold is kept and the recording goes next run', async () => {
    const dir = runtime().dir;
    // Court A keeps 60 days: old (200) and mid (100) are held, recent (10) is young. Court B keeps the default 180.
    expect(await expireRecordings(runtime())).toBe(1);
    expect(await statusOf(oldInB.callId)).toBe('removed');
    expect(existsSync(join(dir, oldInB.path))).toBe(false);
    for (const kept of [old, mid, recent, midInB]) {
      expect(await statusOf(kept.callId)).toBe('stored');
      expect(existsSync(join(dir, kept.path))).toBe(true);
    }

    const lifted = await as('manager', 'POST', `/recording-holds/${midHold}/lift`, { reason: '复查结束，投诉已办结' });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toEqual([expect.objectContaining({ id: midHold, lifted: { by: { id: a.users.manager.id, name: expect.any(String) }, at: expect.any(String), reason: '复查结束，投诉已办结' } })]);
    expect((await as('manager', 'POST', `/recording-holds/${midHold}/lift`, { reason: '再次解除' })).body.code).toBe('hold_already_lifted');
    expect((await api.deps.db.select().from(auditLog).where(eq(auditLog.action, 'recording.hold_lifted'))).map((e) => [e.actorUserId, e.targetId, (e.detail as { reason: string }).reason])).toEqual([
      [a.users.manager.id, mid.callId, '复查结束，投诉已办结'],
    ]);
    expect((await as('admin', 'GET', '/recording-retention')).body.effect).toMatchObject({ held: 1, dueNow: 1 });

    expect(await expireRecordings(runtime())).toBe(1);
    expect(await statusOf(mid.callId)).toBe('removed');
    expect(existsSync(join(dir, mid.path))).toBe(false);
    expect(await statusOf(old.callId)).toBe('stored');
    expect(existsSync(join(dir, old.path))).toBe(true);
    // A removed recording can no longer be held; its lifted hold stays listed.
    expect((await as('manager', 'POST', `/calls/${mid.callId}/recording-holds`, { reason: '新的投诉' })).status).toBe(410);
    const list = await as('admin', 'GET', '/recording-holds');
    expect(list.body.map((h: { callId: string; lifted: unknown; recordingStatus: string }) => [h.callId, h.lifted === null, h.recordingStatus])).toEqual([
      [old.callId, true, 'stored'],
      [mid.callId, false, 'removed'],
    ]);
    expect((await as('admin', 'GET', '/recording-holds?active=1')).body.map((h: { callId: string }) => h.callId)).toEqual([old.callId]);
    expect((await as('adminB', 'GET', '/recording-holds')).body).toEqual([]);
    expect(await expireRecordings(runtime())).toBe(0);
  });

  it('a hold being placed while the daily run works holds the recording or is refused, never both lost', async () => {
    const db = api.deps.db;
    const race = await recordedCall(db, { courtId: a.courtId, dir: runtime().dir, daysAgo: 90 });
    const [placed, removed] = await Promise.all([as('admin', 'POST', `/calls/${race.callId}/recording-holds`, { reason: '并发保全' }), expireRecordings(runtime())]);
    const status = await statusOf(race.callId);
    if (placed.status === 201) {
      expect([status, removed, existsSync(join(runtime().dir, race.path))]).toEqual(['stored', 0, true]);
    } else {
      expect([placed.status, placed.body.code, status, removed]).toEqual([410, 'recording_removed', 'removed', 1]);
    }
  });

  it('a run whose commit fails leaves the rows stored and their files in place (files go only after the commit)', async () => {
    const db = api.deps.db;
    const due = await recordedCall(db, { courtId: a.courtId, dir: runtime().dir, daysAgo: 400 });
    // A real PostgreSQL failure at commit time: a deferred constraint trigger refuses the batch's updates.
    await db.execute(sql.raw(`create function telephony.test_refuse_commit() returns trigger language plpgsql as $$ begin raise exception 'commit refused'; end $$;
      create constraint trigger test_refuse_commit after update on telephony.recordings deferrable initially deferred for each row execute function telephony.test_refuse_commit();`));
    try {
      await expect(expireRecordings(runtime())).rejects.toThrow();
      expect([await statusOf(due.callId), existsSync(join(runtime().dir, due.path))]).toEqual(['stored', true]);
    } finally {
      await db.execute(sql.raw('drop trigger test_refuse_commit on telephony.recordings; drop function telephony.test_refuse_commit();'));
    }
    expect(await expireRecordings(runtime())).toBeGreaterThanOrEqual(1);
    expect([await statusOf(due.callId), existsSync(join(runtime().dir, due.path))]).toEqual(['removed', false]);
  });

  it('a hold is lifted only by someone with at least its placer’s authority: refused with 403, nothing changed; the list says who may', async () => {
    const db = api.deps.db;
    const young = async () => (await recordedCall(db, { courtId: a.courtId, dir: runtime().dir, daysAgo: 5 })).callId;
    const place = async (who: 'head' | 'manager' | 'admin', callId: string) => {
      const res = await as(who, 'POST', `/calls/${callId}/recording-holds`, { reason: '投诉复查，保留录音' });
      expect(res.status).toBe(201);
      return res.body[0] as { id: string; placedBy: { role: string } };
    };
    const lift = (who: 'head' | 'manager' | 'admin', holdId: string) => as(who, 'POST', `/recording-holds/${holdId}/lift`, { reason: '复查结束' });
    const audits = async (action: 'recording.hold_lifted' | 'recording.hold_lift_refused', holdId: string) =>
      (await db.select().from(auditLog).where(eq(auditLog.action, action))).filter((e) => (e.detail as { holdId: string }).holdId === holdId).length;
    const liftAudits = (holdId: string) => audits('recording.hold_lifted', holdId);
    const [byHead, byManager, byAdmin, byHeadToo] = [await young(), await young(), await young(), await young()];
    const headHold = await place('head', byHead);
    const managerHold = await place('manager', byManager);
    const adminHold = await place('admin', byAdmin);
    const headHoldToo = await place('head', byHeadToo);
    expect([headHold, managerHold, adminHold].map((h) => h.placedBy.role)).toEqual(['department_head', 'manager', 'admin']);

    // Each viewer's list says which holds they may lift.
    const mayLift = async (who: 'head' | 'manager' | 'admin', callId: string) => (await as(who, 'GET', `/calls/${callId}/recording-holds`)).body[0].mayLift;
    expect([await mayLift('head', byHead), await mayLift('head', byManager), await mayLift('head', byAdmin)]).toEqual([true, false, false]);
    expect([await mayLift('manager', byHead), await mayLift('manager', byManager), await mayLift('manager', byAdmin)]).toEqual([true, true, false]);
    expect([await mayLift('admin', byHead), await mayLift('admin', byManager), await mayLift('admin', byAdmin)]).toEqual([true, true, true]);

    // Refused: a head lifting a manager's or the admin's hold, a manager lifting the admin's. Nothing changes but
    // the audit trail, which records each refusal.
    for (const [who, hold, placer, refusals] of [['head', managerHold, '管理人员', 1], ['head', adminHold, '系统管理员', 1], ['manager', adminHold, '系统管理员', 2]] as const) {
      const res = await lift(who, hold.id);
      expect(await audits('recording.hold_lift_refused', hold.id)).toBe(refusals);
      expect([res.status, res.body.code], `${who} lifts a ${hold.placedBy.role}'s hold`).toEqual([403, 'hold_lift_not_allowed']);
      expect(res.body.message_zh).toContain(`该保全由${placer}设置`);
      expect(res.body.message).toContain('Nothing was changed');
      expect(await liftAudits(hold.id)).toBe(0);
    }
    expect((await as('admin', 'GET', `/calls/${byManager}/recording-holds`)).body[0].lifted).toBeNull();
    expect((await as('admin', 'GET', `/calls/${byAdmin}/recording-holds`)).body[0].lifted).toBeNull();

    // Allowed: a head lifts a head's, a manager a head's and a manager's, the admin any; each audited.
    for (const [who, hold] of [['head', headHold], ['manager', headHoldToo], ['manager', managerHold], ['admin', adminHold]] as const) {
      const res = await lift(who, hold.id);
      expect(res.status, `${who} lifts a ${hold.placedBy.role}'s hold`).toBe(200);
      expect(res.body[0]).toMatchObject({ id: hold.id, lifted: { by: { id: a.users[who === 'head' ? 'department_head' : who].id } }, mayLift: false });
      expect(await liftAudits(hold.id)).toBe(1);
    }
  });

  it('a lift refused for authority is in the court’s audit trail (who, the call, the placer’s role, the reason masked); the hold stays', async () => {
    const db = api.deps.db;
    const held = await recordedCall(db, { courtId: a.courtId, dir: runtime().dir, daysAgo: 5 });
    const placed = await as('manager', 'POST', `/calls/${held.callId}/recording-holds`, { reason: '投诉复查，保留录音' });
    expect(placed.status).toBe(201);
    const holdId = placed.body[0].id as string;
    const byAdmin = await recordedCall(db, { courtId: a.courtId, dir: runtime().dir, daysAgo: 5 });
    const adminHold = (await as('admin', 'POST', `/calls/${byAdmin.callId}/recording-holds`, { reason: '案件评查' })).body[0].id as string;

    // A head lifts the manager's hold, giving a mobile number in the reason; a manager lifts the admin's.
    const byHead = await as('head', 'POST', `/recording-holds/${holdId}/lift`, { reason: '当事人13800138000要求解除' });
    expect([byHead.status, byHead.body.code]).toEqual([403, 'hold_lift_not_allowed']);
    const byManager = await as('manager', 'POST', `/recording-holds/${adminHold}/lift`, { reason: '复查结束' });
    expect([byManager.status, byManager.body.code]).toEqual([403, 'hold_lift_not_allowed']);
    // Nothing changed: both holds active, no lift recorded.
    expect((await as('admin', 'GET', `/calls/${held.callId}/recording-holds`)).body[0]).toMatchObject({ id: holdId, lifted: null });
    expect((await as('admin', 'GET', `/calls/${byAdmin.callId}/recording-holds`)).body[0]).toMatchObject({ id: adminHold, lifted: null });
    const lifts = await db.select().from(auditLog).where(eq(auditLog.action, 'recording.hold_lifted'));
    expect(lifts.filter((e) => [holdId, adminHold].includes((e.detail as { holdId: string }).holdId))).toEqual([]);

    // The court's admin reads both refusals in GET /api/audit, newest first; court B's admin sees neither.
    const trail = await call(api.url, 'GET', '/api/audit?limit=500', { cookie: cookie.admin });
    expect(trail.status).toBe(200);
    const ours = (e: { action: string; targetId: string | null }) => e.action === 'recording.hold_lift_refused' && [held.callId, byAdmin.callId].includes(e.targetId ?? '');
    const refusals = trail.body.filter(ours);
    expect(refusals).toEqual([
      expect.objectContaining({ courtId: a.courtId, actorUserId: a.users.manager.id, targetType: 'call', targetId: byAdmin.callId, detail: { kind: 'conversation', holdId: adminHold, placedByRole: 'admin', actorRole: 'manager', reason: '复查结束' } }),
      expect.objectContaining({ courtId: a.courtId, actorUserId: a.users.department_head.id, targetType: 'call', targetId: held.callId, detail: { kind: 'conversation', holdId, placedByRole: 'manager', actorRole: 'department_head', reason: '当事人138****8000要求解除' } }),
    ]);
    expect(JSON.stringify(refusals)).not.toContain('13800138000');
    const inB = await call(api.url, 'GET', '/api/audit?limit=500', { cookie: cookie.adminB });
    expect(inB.status).toBe(200);
    expect(inB.body.filter((e: { action: string }) => e.action === 'recording.hold_lift_refused')).toEqual([]);

    // The manager, with the authority, then lifts it: the refusal stays in the trail beside the lift.
    expect((await as('manager', 'POST', `/recording-holds/${holdId}/lift`, { reason: '复查结束' })).status).toBe(200);
    const after = (await call(api.url, 'GET', '/api/audit?limit=500', { cookie: cookie.admin })).body.filter((e: { targetId: string | null }) => e.targetId === held.callId);
    expect(after.map((e: { action: string }) => e.action)).toEqual(['recording.hold_lifted', 'recording.hold_lift_refused', 'recording.hold_placed']);
  });
});
