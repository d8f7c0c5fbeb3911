import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { openVerifier } from '../../platform/seals/seals.ts';
import { recordedCall } from '../recordings/testing/recorded-call.ts';
import { answeredCalls, drawSample } from './sampling.ts';
import { verifyQualityChain } from './trail-verify.ts';
import { lastWeek, weekSpan } from './week.ts';

// Quality review (录音质检) over real HTTP, PostgreSQL and Redis: forms in versions, the weekly sample (reproducible
// for a week and seed, complaint and unsatisfied calls always in, idempotent), scoring, one appeal, locking (every
// route refuses a locked review), the sealed trail, roles and courts.
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
const db = () => api.deps.db;
let a: SeededCourt;
let b: SeededCourt;
const cookie = {} as Record<'manager' | 'head' | 'operator' | 'operator2' | 'judge' | 'admin' | 'managerB', string>;
let operator2: string;
const week = lastWeek(new Date());
const calls: string[] = [];
let complaintCall: string;
let unsatisfiedCall: string;

const as = (who: keyof typeof cookie, method: string, path: string, body?: unknown) => call(api.url, method, `/api/telephony/quality${path}`, { cookie: cookie[who], ...(body !== undefined ? { body } : {}) });
/** An answered call of the week drawn, `hours` after its Monday began, with its recording stored. */
const callInWeek = async (courtId: string, operatorId: string, hours: number) => {
  const daysAgo = (Date.now() - weekSpan(week).start.getTime() - hours * 3600_000) / 86_400_000;
  return (await recordedCall(db(), { courtId, dir: serviceOf(api.deps, 'telephonyRecordings').context.dir, daysAgo, operatorId })).callId;
};
const ticketFor = async (callId: string, courtId: string, o: { category: string; satisfaction?: string }) => {
  const id = randomUUID();
  await db().execute(sql`insert into tickets.tickets (id, number, court_id, category, summary, satisfaction) values (${id}, ${`Q-${id.slice(0, 8)}`}, ${courtId}, ${o.category}, '质检测试', ${o.satisfaction ?? null})`);
  await db().execute(sql`insert into tickets.ticket_calls (ticket_id, call_id) values (${id}, ${callId})`);
};

beforeAll(async () => {
  a = await seedCourt(db());
  b = await seedCourt(db());
  const { rows } = await db().execute<{ id: string }>(sql`insert into platform.users (court_id, username, display_name, role, sip_endpoint) values (${a.courtId}, ${`op2-${a.courtId.slice(0, 6)}`}, '话务员二', 'operator', ${`op2${a.courtId.slice(0, 6)}`}) returning id::text`);
  operator2 = rows[0]!.id;
  cookie.manager = await sessionCookieFor(db(), a.users.manager.id);
  cookie.head = await sessionCookieFor(db(), a.users.department_head.id);
  cookie.operator = await sessionCookieFor(db(), a.users.operator.id);
  cookie.operator2 = await sessionCookieFor(db(), operator2);
  cookie.judge = await sessionCookieFor(db(), a.users.judge.id);
  cookie.admin = await sessionCookieFor(db(), a.users.admin.id);
  cookie.managerB = await sessionCookieFor(db(), b.users.manager.id);
  for (let i = 0; i < 20; i++) calls.push(await callInWeek(a.courtId, i < 12 ? a.users.operator.id : operator2, 2 + i * 5));
  complaintCall = calls[3]!;
  unsatisfiedCall = calls[15]!;
  await ticketFor(complaintCall, a.courtId, { category: 'complaint' });
  await ticketFor(unsatisfiedCall, a.courtId, { category: 'enquiry', satisfaction: 'unsatisfied' });
  await callInWeek(b.courtId, b.users.operator.id, 10);
}, 60_000);

const form = { name: '通用评分表', items: [
  { key: 'greeting', label: '规范问候', weight: 20 },
  { key: 'accuracy', label: '答复准确', weight: 50 },
  { key: 'attitude', label: '服务态度', weight: 30 },
  { key: 'legal_error', label: '法律信息错误', weight: 0, fatal: true },
  { key: 'rude', label: '态度粗暴', weight: 0, fatal: true },
] };
let formId: string;

describe('scoring forms (评分表)', () => {
  it('a manager creates a form; heads read it; others are refused; bad items are a 400 that changes nothing', async () => {
    expect((await as('head', 'POST', '/forms', form)).status).toBe(403);
    expect((await as('operator', 'POST', '/forms', form)).status).toBe(403);
    expect((await as('operator', 'GET', '/forms')).status).toBe(403);
    const dup = await as('manager', 'POST', '/forms', { ...form, items: [...form.items, { key: 'greeting', label: 'x', weight: 1 }] });
    expect(dup.status).toBe(400);
    expect(dup.body.message_zh).toContain('不能重复');
    expect((await as('manager', 'POST', '/forms', { ...form, items: [{ key: 'rude', label: '粗暴', weight: 5, fatal: true }, { key: 'x', label: 'x', weight: 10 }] })).status).toBe(400);
    const made = await as('manager', 'POST', '/forms', form);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ version: 1, retiredAt: null });
    formId = made.body.id;
    expect((await as('head', 'GET', '/forms')).body.map((f: { id: string }) => f.id)).toEqual([formId]);
    expect((await as('managerB', 'GET', '/forms')).body).toEqual([]);
  });

  it('a change is a new version; the old one is retired, never edited; only the current version can be changed', async () => {
    const v2 = await as('manager', 'POST', `/forms/${formId}/versions`, { ...form, name: '通用评分表（修订）' });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, familyId: expect.any(String) });
    const all = (await as('manager', 'GET', '/forms')).body as Array<{ id: string; version: number; name: string; retiredAt: string | null }>;
    expect(all.find((f) => f.id === formId)).toMatchObject({ version: 1, name: '通用评分表', retiredAt: expect.any(String) });
    expect((await as('manager', 'POST', `/forms/${formId}/versions`, form)).status).toBe(409);
    expect((await as('managerB', 'POST', `/forms/${v2.body.id}/versions`, form)).status).toBe(404);
    formId = v2.body.id;
  });
});

describe('the weekly sample (抽样)', () => {
  it('draws the share of each operator’s answered calls plus every complaint and unsatisfied call; drawing again adds nothing', async () => {
    expect((await as('head', 'PUT', '/settings', { sharePercent: 25, seed: 's1' })).status).toBe(403);
    expect((await as('manager', 'PUT', '/settings', { sharePercent: 101, seed: 's1' })).status).toBe(400);
    expect((await as('manager', 'PUT', '/settings', { sharePercent: 25, seed: 's1' })).body).toEqual({ sharePercent: 25, seed: 's1', own: true });
    expect((await as('manager', 'POST', '/draws', { week: '2026-12-01' })).status).toBe(400); // a Tuesday
    const first = await as('manager', 'POST', '/draws', { week });
    expect(first.status).toBe(200);
    // ⌈25 % × 12⌉ + ⌈25 % × 8⌉ random, plus the complaint and the unsatisfied call when the seed did not draw them.
    const reviews = (await as('manager', 'GET', `/reviews?week=${week}`)).body as Array<{ callId: string; reasons: string[]; operator: { id: string } }>;
    expect(reviews.filter((r) => r.reasons.includes('random')).length).toBe(5);
    expect(reviews.find((r) => r.callId === complaintCall)?.reasons).toContain('complaint');
    expect(reviews.find((r) => r.callId === unsatisfiedCall)?.reasons).toContain('unsatisfied');
    expect(reviews.find((r) => r.callId === unsatisfiedCall)?.reasons).not.toContain('complaint');
    expect(first.body).toMatchObject({ week, sharePercent: 25, seed: 's1', added: reviews.length, total: reviews.length });
    expect(reviews.every((r) => calls.includes(r.callId))).toBe(true);
    const again = await as('manager', 'POST', '/draws', { week });
    expect(again.body).toMatchObject({ added: 0, total: reviews.length });
    expect((await as('managerB', 'GET', `/reviews?week=${week}`)).body).toEqual([]);
  });

  it('is reproducible for a week and seed, and another seed draws other calls; a share of 0 still takes complaints', async () => {
    const answered = await answeredCalls(db(), a.courtId, week);
    expect(answered).toHaveLength(20);
    const ids = (seed: string, share = 25) => drawSample(answered, share, seed).filter((c) => c.reasons.includes('random')).map((c) => c.id).sort();
    const drawn = ((await as('manager', 'GET', `/reviews?week=${week}`)).body as Array<{ callId: string; reasons: string[] }>).filter((r) => r.reasons.includes('random')).map((r) => r.callId).sort();
    expect(ids('s1')).toEqual(drawn);
    expect(ids('s1')).toEqual(ids('s1'));
    expect(['s2', 's3', 's4'].some((s) => JSON.stringify(ids(s)) !== JSON.stringify(drawn))).toBe(true);
    const none = drawSample(answered, 0, 's1');
    expect(none.map((c) => c.id).sort()).toEqual([complaintCall, unsatisfiedCall].sort());
  });

  it('a later change of the seed does not change a week already drawn', async () => {
    await as('manager', 'PUT', '/settings', { sharePercent: 50, seed: 'other' });
    const res = await as('manager', 'POST', '/draws', { week });
    expect(res.body).toMatchObject({ seed: 's1', sharePercent: 25, added: 0 });
  });
});

describe('scoring, appeal and locking', () => {
  const reviewOf = async (operator: 'operator' | 'operator2') => {
    const list = (await as(operator, 'GET', '/reviews')).body as Array<{ id: string; operator: { id: string } }>;
    return list;
  };
  let mine: string[];
  let theirs: string[];

  it('operators see only their own reviews; judges and admins are refused; another court gets 404', async () => {
    const all = (await as('manager', 'GET', '/reviews')).body as Array<{ id: string; operator: { id: string } }>;
    mine = all.filter((r) => r.operator.id === a.users.operator.id).map((r) => r.id);
    theirs = all.filter((r) => r.operator.id === operator2).map((r) => r.id);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(theirs.length).toBeGreaterThanOrEqual(2);
    expect((await reviewOf('operator')).map((r) => r.id).sort()).toEqual([...mine].sort());
    expect((await as('operator', 'GET', `/reviews/${theirs[0]}`)).status).toBe(404);
    expect((await as('operator', 'GET', `/reviews/${theirs[0]}/audio`)).status).toBe(404);
    expect((await as('judge', 'GET', '/reviews')).status).toBe(403);
    expect((await as('admin', 'GET', '/reviews')).status).toBe(403);
    expect((await as('managerB', 'GET', `/reviews/${mine[0]}`)).status).toBe(404);
    expect((await as('managerB', 'PUT', `/reviews/${mine[0]}/score`, { formId, points: { greeting: 20, accuracy: 50, attitude: 30 } })).status).toBe(404);
    const audio = await as('head', 'GET', `/reviews/${mine[0]}/audio`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
  });

  it('a head scores: points per item, a fatal item failed makes it 0; bad points are a 400; an operator cannot score', async () => {
    const id = mine[0]!;
    expect((await as('operator', 'PUT', `/reviews/${id}/score`, { formId, points: { greeting: 20, accuracy: 50, attitude: 30 } })).status).toBe(403);
    const over = await as('head', 'PUT', `/reviews/${id}/score`, { formId, points: { greeting: 21, accuracy: 50, attitude: 30 } });
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('invalid_score');
    expect((await as('head', 'PUT', `/reviews/${id}/score`, { formId, points: { greeting: 20, accuracy: 50 } })).status).toBe(400);
    expect((await as('head', 'PUT', `/reviews/${id}/score`, { formId, points: { greeting: 20, accuracy: 50, attitude: 30 }, fatalFailed: ['greeting'] })).status).toBe(400);
    const scored = await as('head', 'PUT', `/reviews/${id}/score`, { formId, points: { greeting: 15, accuracy: 40, attitude: 30 }, comment: '答复基本准确' });
    expect(scored.status).toBe(200);
    expect(scored.body).toMatchObject({ status: 'scored', score: 85, fatal: false, comment: '答复基本准确', form: { id: formId, version: 2 } });
    const fatal = await as('manager', 'PUT', `/reviews/${mine[1]}/score`, { formId, points: { greeting: 20, accuracy: 50, attitude: 30 }, fatalFailed: ['rude'] });
    expect(fatal.body).toMatchObject({ score: 0, fatal: true });
    await as('head', 'PUT', `/reviews/${mine[2]}/score`, { formId, points: { greeting: 20, accuracy: 45, attitude: 30 } });
    await as('head', 'PUT', `/reviews/${theirs[0]}/score`, { formId, points: { greeting: 10, accuracy: 25, attitude: 15 } });
    // The retired version 1 cannot score a new review.
    const v1 = ((await as('manager', 'GET', '/forms')).body as Array<{ id: string; version: number }>).find((f) => f.version === 1)!.id;
    expect((await as('head', 'PUT', `/reviews/${theirs[1]}/score`, { formId: v1, points: { greeting: 20, accuracy: 50, attitude: 30 } })).status).toBe(409);
  });

  it('the operator accepts (locked) or appeals once with a reason; the manager decides (locked)', async () => {
    expect((await as('operator2', 'POST', `/reviews/${mine[0]}/accept`)).status).toBe(404);
    expect((await as('operator', 'POST', `/reviews/${mine[0]}/accept`)).body).toMatchObject({ status: 'accepted', locked: true });
    expect((await as('operator', 'POST', `/reviews/${mine[1]}/appeal`, { reason: '' })).status).toBe(400);
    const appealed = await as('operator', 'POST', `/reviews/${mine[1]}/appeal`, { reason: '我的答复没有粗暴用语，请复听第 2 分钟' });
    expect(appealed.body).toMatchObject({ status: 'appealed', locked: false, appealReason: '我的答复没有粗暴用语，请复听第 2 分钟' });
    expect((await as('operator', 'POST', `/reviews/${mine[1]}/appeal`, { reason: '再次申诉一下' })).status).toBe(409);
    expect((await as('head', 'PUT', `/reviews/${mine[1]}/score`, { formId, points: { greeting: 20, accuracy: 50, attitude: 30 } })).body.code).toBe('review_state');
    expect((await as('head', 'POST', `/reviews/${mine[1]}/decision`, { outcome: 'upheld', comment: '维持原评分' })).status).toBe(403);
    const decided = await as('manager', 'POST', `/reviews/${mine[1]}/decision`, { outcome: 'revised', comment: '复听后无粗暴用语', points: { greeting: 20, accuracy: 40, attitude: 25 } });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ status: 'decided', decision: 'revised', score: 85, fatal: false, locked: true });
  });

  it('a locked review cannot be changed through any route; a manager’s note is a new sealed event that changes nothing', async () => {
    for (const id of [mine[0]!, mine[1]!]) {
      const before = (await as('manager', 'GET', `/reviews/${id}`)).body;
      const tries = [
        await as('head', 'PUT', `/reviews/${id}/score`, { formId, points: { greeting: 0, accuracy: 0, attitude: 0 } }),
        await as('manager', 'PUT', `/reviews/${id}/score`, { formId, points: { greeting: 0, accuracy: 0, attitude: 0 } }),
        await as('operator', 'POST', `/reviews/${id}/accept`),
        await as('operator', 'POST', `/reviews/${id}/appeal`, { reason: '锁定后再申诉' }),
        await as('manager', 'POST', `/reviews/${id}/decision`, { outcome: 'upheld', comment: '锁定后再裁决' }),
        await as('manager', 'POST', `/reviews/${id}/decision`, { outcome: 'revised', comment: '锁定后再裁决', points: { greeting: 0, accuracy: 0, attitude: 0 } }),
      ];
      for (const t of tries) expect([t.status, t.body.code]).toEqual([409, 'review_locked']);
      const note = await as('manager', 'POST', `/reviews/${id}/amendments`, { note: '复核：评分无误' });
      expect(note.status).toBe(201);
      const after = (await as('manager', 'GET', `/reviews/${id}`)).body;
      expect({ ...after, events: undefined }).toEqual({ ...before, events: undefined });
      expect(after.events.at(-1)).toMatchObject({ kind: 'amended', data: { note: '复核：评分无误' } });
    }
    expect((await as('head', 'POST', `/reviews/${mine[0]}/amendments`, { note: '主管追加说明' })).status).toBe(403);
    expect((await as('manager', 'POST', `/reviews/${mine[2]}/amendments`, { note: '未锁定的说明' })).body.code).toBe('review_state');
  });

  it('every change is in the court’s sealed chain; an edited event is found', async () => {
    const { verifier } = openVerifier(api.deps.config);
    expect(await verifyQualityChain(db(), verifier, a.courtId)).toEqual([]);
    const detail = (await as('operator', 'GET', `/reviews/${mine[1]}`)).body;
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['scored', 'appealed', 'decided', 'amended']);
    await db().execute(sql`update telephony.quality_events set data = jsonb_set(data, '{score}', '100') where court_id = ${a.courtId} and seq = 1`);
    expect((await verifyQualityChain(db(), verifier, a.courtId))[0]).toMatch(/event #1 \(review [0-9a-f-]+\): its content does not match its hash: the event was edited/);
    await db().execute(sql`update telephony.quality_events set data = jsonb_set(data, '{score}', '85') where court_id = ${a.courtId} and seq = 1`);
    expect(await verifyQualityChain(db(), verifier, a.courtId)).toEqual([]);
  });

  it('QA figures per operator and for the team: mean score, fatal errors, coverage', async () => {
    expect((await as('operator', 'GET', `/figures?from=${week}&to=${week}`)).status).toBe(403);
    const res = await as('head', 'GET', `/figures?from=${week}&to=${week}`);
    expect(res.status).toBe(200);
    const one = res.body.operators.find((o: { operator: { id: string } }) => o.operator.id === a.users.operator.id);
    expect(one).toMatchObject({ answered: 12, reviewed: 3, meanScore: Math.round(((85 + 85 + 95) / 3) * 10) / 10, fatalErrors: 0, coverage: 0.25, appeals: 1 });
    const two = res.body.operators.find((o: { operator: { id: string } }) => o.operator.id === operator2);
    expect(two).toMatchObject({ answered: 8, reviewed: 1, meanScore: 50, coverage: 0.125 });
    expect(res.body.team).toMatchObject({ answered: 20, reviewed: 4, fatalErrors: 0, coverage: 0.2 });
  });
});
