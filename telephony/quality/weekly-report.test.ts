import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { buildWeeklyReport } from '../../kpi/weekly-report.ts';
import { weeklyReportWorkbook } from '../../kpi/weekly-report-xlsx.ts';
import { serviceOf } from '../../platform/deps.ts';
import { recordedCall } from '../recordings/testing/recorded-call.ts';
import { lastWeek, weekSpan } from './week.ts';

// The weekly report (周报) carries the week's quality review: per operator and for the team, answered, reviewed,
// coverage, mean score and fatal errors, in its body and at the end of the workbook's 周报 sheet.
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
const week = lastWeek(new Date());

beforeAll(async () => {
  const db = api.deps.db;
  court = await seedCourt(db);
  const dir = serviceOf(api.deps, 'telephonyRecordings').context.dir;
  for (let i = 0; i < 4; i++) {
    const daysAgo = (Date.now() - weekSpan(week).start.getTime() - (20 + i) * 3600_000) / 86_400_000;
    await recordedCall(db, { courtId: court.courtId, dir, daysAgo, operatorId: court.users.operator.id });
  }
  const manager = await sessionCookieFor(db, court.users.manager.id);
  const q = (method: string, path: string, body?: unknown) => call(api.url, method, `/api/telephony/quality${path}`, { cookie: manager, ...(body ? { body } : {}) });
  const form = await q('POST', '/forms', { name: '评分表', items: [{ key: 'all', label: '总体', weight: 10 }, { key: 'rude', label: '态度粗暴', weight: 0, fatal: true }] });
  await q('PUT', '/settings', { sharePercent: 50, seed: 'report' });
  await q('POST', '/draws', { week });
  const reviews = (await q('GET', `/reviews?week=${week}`)).body as Array<{ id: string }>;
  expect(reviews).toHaveLength(2);
  await q('PUT', `/reviews/${reviews[0]!.id}/score`, { formId: form.body.id, points: { all: 9 } });
  await q('PUT', `/reviews/${reviews[1]!.id}/score`, { formId: form.body.id, points: { all: 10 }, fatalFailed: ['rude'] });
}, 60_000);

describe('the weekly report’s quality review', () => {
  it('is in the body and at the end of the workbook’s 周报 sheet', async () => {
    const { start } = weekSpan(week);
    const body = await buildWeeklyReport(api.deps.db, court.courtId, start, new Date());
    const figure = { answered: 4, reviewed: 2, meanScore: 45, fatalErrors: 1, coverage: 0.5 };
    expect(body.quality).toEqual({ ...figure, operators: [{ name: 'operator 用户', ...figure }] });

    const file = await weeklyReportWorkbook({ courtName: '测试法院', weekStart: week, generatedAt: new Date(), body, categoryNames: new Map(), decisions: [] });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['周报', '超期与不满意', '会议决定', '往期决定跟踪']);
    const sheet = book.getWorksheet('周报')!;
    const all = sheet.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const rows = all.slice(all.findIndex((r) => r[0] === '录音质检（话务员）'));
    expect(sheet.getRow(sheet.rowCount).getCell(4).numFmt).toBe('0.0%');
    expect(rows).toEqual([
      ['录音质检（话务员）', '接听量', '已评分', '覆盖率', '平均分', '致命错误'],
      ['operator 用户', 4, 2, 0.5, 45, 1],
      ['话务组合计', 4, 2, 0.5, 45, 1],
    ]);
    // A report issued before quality review existed has no figures: the sheet says so.
    const { quality: _, ...before } = body;
    const old = await weeklyReportWorkbook({ courtName: '测试法院', weekStart: week, generatedAt: new Date(), body: before, categoryNames: new Map(), decisions: [] });
    const oldBook = new ExcelJS.Workbook();
    await oldBook.xlsx.load(old as unknown as ArrayBuffer);
    const oldSheet = oldBook.getWorksheet('周报')!;
    expect(oldSheet.getRow(oldSheet.rowCount).getCell(1).value).toBe('（本周报生成时尚无录音质检）');
  });
});
