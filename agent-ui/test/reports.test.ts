import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn as apiSignIn, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console reports browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

async function inView(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

describe.skipIf(!enabled)('weekly report page in Chromium: read, print, download, decisions', () => {
  let court: SeededCourt;
  let managerCookie: string;

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    managerCookie = await apiSignIn(hotline.url, court.users.manager.username);
    // An earlier week's report, issued before this meeting.
    expect((await call(hotline.url, 'POST', '/api/kpi/weekly-reports', { cookie: managerCookie, body: { weekOf: '2026-11-09' } })).status).toBe(201);
  }, 60_000);

  it('a manager at 1366×768 reads the report, records a decision and closes it; next week’s report carries it; print hides the menu; Excel downloads', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.manager.username, testPassword);
    await page.getByRole('menuitem', { name: '周报' }).click();
    await page.waitForURL('**/reports');
    await expect.poll(() => page.getByTestId('report-title').textContent()).toContain('2026-11-09 至 2026-11-15');
    expect(await page.getByTestId('report-targets').textContent()).toContain('接通率');
    expect(await page.getByTestId('report-targets').textContent()).toContain('95.0%');
    expect(await inView(page, page.getByTestId('report-title'))).toBe(true);
    expect(await inView(page, page.getByTestId('report-targets'))).toBe(true);
    await screenshot(page, '70-manager-report-1366');

    // Record a decision of the meeting: what, owner, due date.
    await page.getByLabel('决定事项').fill('超期工单逐件电话回访');
    await page.getByLabel('负责人').click();
    await page.getByLabel('负责人').fill('department_head');
    await page.locator('.ant-select-item-option').filter({ hasText: 'department_head 用户' }).click();
    await page.getByLabel('完成期限').click();
    await page.getByLabel('完成期限').fill('2026-11-27');
    // Leave the date field (a typed date counts once it is valid), then record.
    await page.getByText('会议决定', { exact: true }).click();
    await expect.poll(() => page.getByLabel('完成期限').inputValue()).toBe('2026-11-27');
    await page.getByRole('button', { name: '记录决定' }).click();
    const decisions = page.getByTestId('report-decisions');
    await expect.poll(() => decisions.textContent()).toContain('超期工单逐件电话回访');
    expect(await decisions.textContent()).toContain('department_head 用户');
    expect(await decisions.textContent()).toContain('2026-11-27');
    expect(await decisions.textContent()).toContain('manager 用户');
    // Recorded once, and the form is empty again for the next decision (no errors shown).
    expect(await decisions.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await page.getByLabel('决定事项').inputValue()).toBe('');
    expect(await page.getByText('必填').count()).toBe(0);
    // Mark it done.
    await page.getByLabel('状态 超期工单逐件电话回访').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '已完成' }).click();
    await expect.poll(() => page.getByText('状态已更新').count()).toBeGreaterThan(0);
    await screenshot(page, '71-manager-report-decision');

    // The print stylesheet: no menu, header or buttons; the report and its decisions stay.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.locator('.ant-layout-header').isVisible()).toBe(false);
    expect(await page.getByTestId('report-print').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '记录决定' }).isVisible()).toBe(false);
    expect(await page.getByTestId('report-view').isVisible()).toBe(true);
    expect(await decisions.textContent()).toContain('已完成');
    await screenshot(page, '72-manager-report-print');
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(true);

    // Excel: the API's workbook of the report on screen.
    const download = page.waitForEvent('download');
    await page.getByTestId('report-xlsx').click();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(await (await download).path()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['周报', '超期与不满意', '会议决定', '往期决定跟踪']);
    const decisionRow = book.getWorksheet('会议决定')!.getRow(2);
    expect([decisionRow.getCell(1).value, decisionRow.getCell(2).value, decisionRow.getCell(3).value, decisionRow.getCell(4).value]).toEqual(['超期工单逐件电话回访', 'department_head 用户', '2026-11-27', '已完成']);

    // Issue last week's report from the page: it carries the decision, done since the earlier report.
    await page.getByRole('button', { name: '生成上周周报' }).click();
    await expect.poll(() => page.getByTestId('report-title').textContent()).not.toContain('2026-11-09');
    const carried = page.getByTestId('report-carried');
    await expect.poll(() => carried.textContent()).toContain('超期工单逐件电话回访');
    expect(await carried.textContent()).toContain('已完成');
    expect(await carried.textContent()).toContain('2026-11-09');
    await page.close();
  }, 90_000);

  it('at 1920×1080 the report and its earlier decisions are on one screen, in English too', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    // Straight to the page's address (a reload, a bookmark): the server serves the console there too.
    await page.goto(`${hotline.url}/reports`);
    await expect.poll(() => page.getByTestId('report-carried').textContent()).toContain('超期工单逐件电话回访');
    expect(await inView(page, page.getByTestId('report-targets'))).toBe(true);
    await screenshot(page, '73-manager-report-1920');
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByTestId('report-title').textContent()).toContain('weekly report');
    expect(await page.getByTestId('report-carried').textContent()).toContain('Done');
    await screenshot(page, '74-manager-report-en');
    await page.keyboard.press('Alt+L');
    await page.close();
  }, 60_000);
});
