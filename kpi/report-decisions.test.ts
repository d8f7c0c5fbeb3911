import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { reportDecisionChanges } from './decisions.sql.ts';
import { syncIncremental } from './sync.ts';
import { insertCall } from './testing/traffic.ts';

/**
 * The weekly review's decisions over real HTTP: recorded against a report (validated, court-scoped, manager
 * only), their state changed and kept, carried into the next weeks' reports, and the report's XLSX workbook.
 */
const api = await useApi();
let court: SeededCourt;
let other: SeededCourt;
const cookies = {} as Record<keyof SeededCourt['users'] | 'stranger', string>;
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const as = (who: keyof typeof cookies, method: string, path: string, body?: unknown) => call(api.url, method, `/api/kpi${path}`, { cookie: cookies[who], ...(body !== undefined ? { body } : {}) });
const issue = async (weekOf: string) => {
  const issued = await as('manager', 'POST', '/weekly-reports', { weekOf });
  expect(issued.status).toBe(201);
  return issued.body as { id: number; body: { carriedDecisions: { id: number; text: string; state: string; ownerName: string }[] } };
};

beforeAll(async () => {
  court = await seedCourt(api.deps.db, 'J0831');
  other = await seedCourt(api.deps.db, 'J0832');
  for (const [key, user] of Object.entries(court.users)) cookies[key as keyof SeededCourt['users']] = await sessionCookieFor(api.deps.db, user.id);
  cookies.stranger = await sessionCookieFor(api.deps.db, other.users.manager.id);
  // The week of 2026-11-09: three calls asked for a person on Tuesday morning (China time), two were answered.
  const tuesday = Date.parse('2026-11-10T10:00:00+08:00');
  for (const [i, answered] of [true, true, false].entries()) {
    const at = tuesday + i * 600_000;
    await insertCall(api.deps.db, court.courtId, { id: randomUUID(), arrivedAt: at, inHours: true, queuedAt: at + 3000, answeredAt: answered ? at + 10_000 : null, endedAt: at + 120_000, outcome: answered ? 'answered' : 'abandoned_in_queue', operatorId: answered ? court.users.operator.id : null });
  }
  await syncIncremental(api.deps.db);
}, 60_000);

describe('review meeting decisions', () => {
  let first: number;
  const d = {} as Record<'callbacks' | 'training' | 'signage', number>;

  it('records a decision with who, when, what, owner and due date; bad input is a 400 that records nothing', async () => {
    const report = await issue('2026-11-02');
    first = report.id;
    expect(report.body.carriedDecisions).toEqual([]);
    const owner = court.users.department_head.id;
    const refused = [
      await as('manager', 'POST', `/weekly-reports/${first}/decisions`, { text: '', ownerUserId: owner, dueDate: '2026-11-20' }),
      await as('manager', 'POST', `/weekly-reports/${first}/decisions`, { text: '加强回访', ownerUserId: owner, dueDate: '2026-13-40' }),
      await as('manager', 'POST', `/weekly-reports/${first}/decisions`, { text: '加强回访', ownerUserId: 'nobody', dueDate: '2026-11-20' }),
      await as('manager', 'POST', `/weekly-reports/${first}/decisions`, { text: '加强回访', ownerUserId: owner, dueDate: '2026-11-20', extra: 1 }),
    ];
    expect(refused.map((r) => [r.status, r.body.code])).toEqual([
      [400, 'invalid_input'],
      [400, 'invalid_input'],
      [400, 'invalid_input'],
      [400, 'invalid_input'],
    ]);
    expect(await as('manager', 'POST', `/weekly-reports/${first}/decisions`, { text: '加强回访', ownerUserId: other.users.manager.id, dueDate: '2026-11-20' })).toMatchObject({ status: 400, body: { code: 'owner_unknown' } });
    expect((await as('department_head', 'POST', `/weekly-reports/${first}/decisions`, { text: '加强回访', ownerUserId: owner, dueDate: '2026-11-20' })).status).toBe(403);
    expect((await as('stranger', 'POST', `/weekly-reports/${first}/decisions`, { text: '加强回访', ownerUserId: other.users.manager.id, dueDate: '2026-11-20' })).status).toBe(404);
    expect((await as('manager', 'GET', `/weekly-reports/${first}/decisions`)).body).toEqual([]);

    const before = Date.now();
    const recorded = await as('manager', 'POST', `/weekly-reports/${first}/decisions`, { text: '超期工单逐件回访，周五前报结果', ownerUserId: owner, dueDate: '2026-11-13' });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      reportId: first,
      reportWeekStart: '2026-11-02',
      text: '超期工单逐件回访，周五前报结果',
      ownerUserId: owner,
      ownerName: 'department_head 用户',
      dueDate: '2026-11-13',
      state: 'open',
      recordedBy: court.users.manager.id,
      recordedByName: 'manager 用户',
      stateChangedAt: null,
    });
    expect(new Date(recorded.body.recordedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    d.callbacks = recorded.body.id;
    d.training = (await as('manager', 'POST', `/weekly-reports/${first}/decisions`, { text: '组织话务员业务培训', ownerUserId: court.users.operator.id, dueDate: '2026-11-30' })).body.id;
    d.signage = (await as('admin', 'POST', `/weekly-reports/${first}/decisions`, { text: '更新诉讼服务指引', ownerUserId: court.users.manager.id, dueDate: '2026-11-10' })).body.id;
    expect((await as('manager', 'GET', `/weekly-reports/${first}/decisions`)).body.map((x: { id: number }) => x.id)).toEqual([d.callbacks, d.training, d.signage]);
    expect((await as('stranger', 'GET', `/weekly-reports/${first}/decisions`)).status).toBe(404);
    expect((await as('department_head', 'GET', `/weekly-reports/${first}/decisions`)).status).toBe(403);
  });

  it('changes a state with a note, keeps every change, and refuses what is no change or not allowed', async () => {
    const done = await as('manager', 'PATCH', `/report-decisions/${d.training}`, { state: 'done', note: '11月20日已培训' });
    expect(done.body).toMatchObject({ state: 'done', stateNote: '11月20日已培训', stateChangedBy: court.users.manager.id, stateChangedByName: 'manager 用户' });
    expect(await as('manager', 'PATCH', `/report-decisions/${d.training}`, { state: 'done', note: '11月20日已培训' })).toMatchObject({ status: 409, body: { code: 'decision_unchanged' } });
    expect((await as('manager', 'PATCH', `/report-decisions/${d.training}`, { state: 'finished' })).status).toBe(400);
    expect((await as('stranger', 'PATCH', `/report-decisions/${d.training}`, { state: 'open' })).status).toBe(404);
    expect((await as('judge', 'PATCH', `/report-decisions/${d.training}`, { state: 'open' })).status).toBe(403);
    expect((await as('manager', 'PATCH', `/report-decisions/${d.signage}`, { state: 'dropped', note: '并入下月工作' })).body.state).toBe('dropped');
    const changes = await api.deps.db.select().from(reportDecisionChanges).where(eq(reportDecisionChanges.decisionId, d.training));
    expect(changes.map((c) => [c.action, c.actorId, c.before, c.after])).toEqual([
      ['record', court.users.manager.id, null, { text: '组织话务员业务培训', ownerUserId: court.users.operator.id, dueDate: '2026-11-30', state: 'open' }],
      ['set_state', court.users.manager.id, { state: 'open', note: null }, { state: 'done', note: '11月20日已培训' }],
    ]);
  });

  it("carries earlier decisions into the next weeks' reports: open ones, and those closed since the last report", async () => {
    const second = await issue('2026-11-09');
    expect(second.body.carriedDecisions.map((c) => [c.text, c.state, c.ownerName])).toEqual([
      ['更新诉讼服务指引', 'dropped', 'manager 用户'],
      ['超期工单逐件回访，周五前报结果', 'open', 'department_head 用户'],
      ['组织话务员业务培训', 'done', 'operator 用户'],
    ]);
    await as('manager', 'PATCH', `/report-decisions/${d.callbacks}`, { state: 'done' });
    const later = (await as('manager', 'POST', `/weekly-reports/${second.id}/decisions`, { text: '增设午间值班', ownerUserId: court.users.manager.id, dueDate: '2026-12-01' })).body;
    const third = await issue('2026-11-16');
    expect(third.body.carriedDecisions.map((c) => [c.id, c.state])).toEqual([
      [d.callbacks, 'done'],
      [later.id, 'open'],
    ]);
    // The report as issued keeps what it carried; reading it again gives the same list.
    expect((await as('manager', 'GET', `/weekly-reports/${second.id}`)).body.body.carriedDecisions).toHaveLength(3);
  });

  it('downloads the report as XLSX: Chinese sheets and headers, rates as percentages, China time, names and numbers, no ids', async () => {
    const report = (await as('manager', 'GET', '/weekly-reports')).body.find((r: { weekStart: string }) => r.weekStart === '2026-11-09');
    const response = await fetch(`${api.url}/api/kpi/weekly-reports/${report.id}/xlsx`, { headers: { cookie: cookies.manager } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toContain('weekly-report-2026-11-09.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await response.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(['周报', '超期与不满意', '会议决定', '往期决定跟踪']);
    const rows = (name: string) => (book.getWorksheet(name)!.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    const summary = rows('周报');
    expect(summary[0]).toEqual(['J0831 人民法院 12368热线周报']);
    expect(summary).toContainEqual(['统计周期（北京时间）', '2026-11-09 至 2026-11-15']);
    expect(summary).toContainEqual(['考核指标', '本周', '目标', '是否达标']);
    const target = book.getWorksheet('周报')!.getRow(6);
    expect(target.getCell(1).value).toBe('接通率');
    expect(target.getCell(3)).toMatchObject({ value: 0.95, numFmt: '0.0%' });
    // 2 of 3 answered: a rate kept as a number, shown as a percentage (66.7%), below the target.
    expect(target.getCell(2).numFmt).toBe('0.0%');
    expect(target.getCell(2).value).toBeCloseTo(2 / 3, 6);
    expect(target.getCell(4).value).toBe('未达标');
    expect(summary).toContainEqual(['进线', 3]);
    expect(summary).toContainEqual(['接通', 2]);
    expect(String(rows('周报')[2]![1])).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(rows('会议决定')[0]).toEqual(['决定事项', '负责人', '完成期限', '状态', '记录人', '记录时间（北京时间）', '状态说明']);
    expect(rows('会议决定')[1]!.slice(0, 5)).toEqual(['增设午间值班', 'manager 用户', '2026-12-01', '未完成', 'manager 用户']);
    const carried = rows('往期决定跟踪');
    expect(carried.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
      ['2026-11-02 起一周', '更新诉讼服务指引', '已撤销'],
      ['2026-11-02 起一周', '超期工单逐件回访，周五前报结果', '未完成'],
      ['2026-11-02 起一周', '组织话务员业务培训', '已完成'],
    ]);
    const everything = book.worksheets.flatMap((s) => (s.getSheetValues() as unknown[][]).filter(Boolean).flat().map(String));
    expect(everything.filter((v) => uuid.test(v))).toEqual([]);

    expect((await fetch(`${api.url}/api/kpi/weekly-reports/${report.id}/xlsx`, { headers: { cookie: cookies.stranger } })).status).toBe(404);
    expect((await fetch(`${api.url}/api/kpi/weekly-reports/${report.id}/xlsx`, { headers: { cookie: cookies.department_head } })).status).toBe(403);
  });
});
