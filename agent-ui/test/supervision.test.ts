import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn as apiSignIn, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, confirmPopup, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console supervision browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
// Workers run: a chase's notice goes through the outbox and the notice queue to the handler's console.
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);
// The judge's own browser, open while the head chases.
const judgeBrowser = enabled ? await useBrowser() : (undefined as never);

const hour = 3_600_000;
const day = 24 * hour;

/** The element lies wholly inside the window: seen without scrolling. */
async function inView(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

describe.skipIf(!enabled)('督办 board in Chromium: a department head and a manager', () => {
  let court: SeededCourt;
  let operatorCookie: string;
  const numbers: Record<'oldest' | 'soon' | 'extension' | 'otherDept', string> = { oldest: '', soon: '', extension: '', otherDept: '' };

  const handed = async (handler: Record<string, string>, deadline: number, handedOffAt: number, summary: string) => {
    const created = await call(hotline.url, 'POST', '/api/tickets', { cookie: operatorCookie, body: { summary, callerNumber: '13800001111', category: 'complaint' } });
    await call(hotline.url, 'POST', `/api/tickets/${created.body.id}/handoff`, { cookie: operatorCookie, body: handler });
    await hotline.deps.db.execute(sql`update tickets.tickets set deadline = ${new Date(deadline).toISOString()}, handed_off_at = ${new Date(handedOffAt).toISOString()} where id = ${created.body.id}`);
    return created.body as { id: string; number: string };
  };

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    operatorCookie = await apiSignIn(hotline.url, court.users.operator.username);
    const now = Date.now();
    const judge = { handlerUserId: court.users.judge.id };
    numbers.oldest = (await handed(judge, now - 6 * day, now - 9 * day, '执行款迟迟未到账，多次来电')).number;
    for (let i = 1; i <= 7; i++) await handed(judge, now - i * hour, now - (2 + i) * day, `询问立案进度（第${i}件）`);
    numbers.soon = (await handed(judge, now + 10 * 60_000, now - 2 * day, '询问开庭时间')).number;
    const extension = await handed({ handlerDepartmentId: court.departmentIds[0] }, now - 2 * hour, now - 4 * day, '申请调取庭审录像');
    numbers.extension = extension.number;
    const judgeCookie = await apiSignIn(hotline.url, court.users.judge.username);
    await call(hotline.url, 'POST', `/api/tickets/${extension.id}/extension-request`, { cookie: judgeCookie, body: { until: new Date(now + 5 * day).toISOString(), reason: '需调取卷宗' } });
    numbers.otherDept = (await handed({ handlerUserId: court.users.otherJudge.id }, now - day, now - 3 * day, '投诉执行法官不接电话')).number;
    await handed({ handlerUserId: court.users.otherJudge.id }, now + 20 * day, now - hour, '咨询执行程序');
  }, 90_000);

  it('a head at 1366×768 sees their department at a glance, chases with a note the judge sees at once, and decides an extension', async () => {
    // The judge has the inbox open while the head works.
    const judgePage = await judgeBrowser.newPage();
    await judgePage.setViewportSize({ width: 1366, height: 768 });
    await signIn(judgePage, hotline.url, court.users.judge.username, testPassword);
    await judgePage.getByRole('menuitem', { name: '待办工单' }).click();
    await judgePage.waitForURL('**/inbox');

    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.department_head.username, testPassword);
    // The menu offers the board to a head, not the reports.
    await expect.poll(() => page.getByRole('menuitem', { name: '督办看板' }).count()).toBe(1);
    expect(await page.getByRole('menuitem', { name: '周报' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: '督办看板' }).click();
    await page.waitForURL('**/supervision');

    // Only their department: 9 overdue (8 named + 1 department ticket), 1 due soon, 1 extension waiting, 10 open.
    await expect.poll(() => page.getByTestId('supervision-overdue').textContent()).toContain('9');
    expect(await page.getByTestId('supervision-dueSoon').textContent()).toContain('1');
    expect(await page.getByTestId('supervision-extensionRequested').textContent()).toContain('1');
    expect(await page.getByTestId('supervision-open').textContent()).toContain('10');
    const table = page.getByTestId('supervision-tickets');
    await expect.poll(() => table.textContent()).toContain(numbers.oldest);
    expect(await table.textContent()).not.toContain(numbers.otherDept);
    expect(await page.getByTestId('supervision-by-department').textContent()).not.toContain('执行局');
    await expect.poll(() => page.locator('[data-testid="supervision-backlog"] canvas').count()).toBeGreaterThan(0);
    // Without scrolling: the four counts and the first rows of the list.
    for (const key of ['overdue', 'dueSoon', 'extensionRequested', 'open']) expect(await inView(page, page.getByTestId(`supervision-${key}`))).toBe(true);
    const rows = table.locator('tbody tr.ant-table-row');
    expect(await rows.first().textContent()).toContain(numbers.oldest);
    for (const i of [0, 1, 2]) expect(await inView(page, rows.nth(i))).toBe(true);
    await screenshot(page, '60-head-supervision-1366');

    // Chase the oldest overdue ticket with a note.
    await page.getByTestId(`act-${numbers.oldest}`).click();
    const drawer = page.locator('.ant-drawer-open');
    await expect.poll(() => drawer.textContent()).toContain('发送督办');
    await drawer.getByRole('button', { name: '发送督办' }).click();
    await expect.poll(() => drawer.textContent()).toContain('必填');
    await drawer.getByLabel('督办意见（发送给承办人）').fill('请于今日下班前答复当事人并回报');
    await drawer.getByRole('button', { name: '发送督办' }).click();
    await expect.poll(() => drawer.getByTestId('chase-notes').textContent()).toContain('请于今日下班前答复当事人并回报');
    await screenshot(page, '61-head-supervision-chase');

    // The judge's console shows the note as it arrives, and the ticket's chase notes in the inbox.
    const alert = judgePage.locator('.ant-notification-notice');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('请于今日下班前答复当事人并回报');
    expect(await alert.textContent()).toContain(numbers.oldest);
    await judgePage.getByRole('cell', { name: numbers.oldest, exact: true }).click();
    await expect.poll(() => judgePage.getByTestId('chase-notes').textContent()).toContain('请于今日下班前答复当事人并回报');
    await screenshot(judgePage, '62-judge-inbox-chase-note');
    await judgePage.close();

    // Escalate it to the head's level, then decide the extension on the department's ticket.
    await drawer.getByLabel('升级理由').fill('多次督办未回复');
    await drawer.getByRole('button', { name: '升级至部门负责人' }).click();
    await expect.poll(() => drawer.textContent()).toContain('升级至院领导（管理人员）');
    expect(await drawer.textContent()).not.toContain('作废');
    await page.locator('.ant-drawer-open .ant-drawer-close').click();
    await expect.poll(() => table.textContent()).toContain('已报部门负责人');
    await page.getByTestId(`act-${numbers.extension}`).click();
    await expect.poll(() => page.locator('.ant-drawer-open').textContent()).toContain('需调取卷宗');
    await page.locator('.ant-drawer-open').getByRole('button', { name: '批准延期' }).click();
    await expect.poll(() => page.getByTestId('supervision-extensionRequested').textContent()).toContain('0');
    await page.locator('.ant-drawer-open .ant-drawer-close').click();
    await expect.poll(() => table.textContent()).not.toContain(numbers.extension);
    await page.close();
  }, 90_000);

  it('a manager at 1920×1080 sees the court by department and judge, escalates to the managers and voids with a reason', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await signIn(page, hotline.url, court.users.manager.username, testPassword);
    await page.getByRole('menuitem', { name: '督办看板' }).click();
    await page.waitForURL('**/supervision');
    await expect.poll(() => page.getByTestId('supervision-overdue').textContent()).toContain('9');
    // The head approved the department ticket's extension: 8 overdue there, 1 in the other department; 12 open.
    expect(await page.getByTestId('supervision-open').textContent()).toContain('12');
    const byDepartment = page.getByTestId('supervision-by-department');
    await expect.poll(() => byDepartment.textContent()).toContain('执行局');
    expect(await byDepartment.textContent()).toContain('立案庭');
    await page.getByRole('tab', { name: '按法官' }).click();
    await expect.poll(() => page.getByTestId('supervision-by-judge').textContent()).toContain('otherJudge 用户');
    const table = page.getByTestId('supervision-tickets');
    expect(await table.textContent()).toContain(numbers.otherDept);
    for (const key of ['overdue', 'dueSoon', 'extensionRequested', 'open']) expect(await inView(page, page.getByTestId(`supervision-${key}`))).toBe(true);
    for (const i of [0, 1, 2, 3, 4]) expect(await inView(page, table.locator('tbody tr.ant-table-row').nth(i))).toBe(true);
    expect(await inView(page, page.getByTestId('supervision-backlog'))).toBe(true);
    await screenshot(page, '63-manager-supervision-1920');

    // The oldest is at level 1 (the head escalated it): the manager takes it to level 2.
    await page.getByTestId(`act-${numbers.oldest}`).click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByLabel('升级理由').fill('报院领导督办');
    await drawer.getByRole('button', { name: '升级至院领导（管理人员）' }).click();
    await expect.poll(() => drawer.textContent()).toContain('已升级至最高级别');
    await expect.poll(() => drawer.getByTestId('chase-notes').textContent()).toContain('报院领导督办');
    await drawer.locator('.ant-drawer-close').click();

    // Void needs a reason.
    await page.getByTestId(`act-${numbers.otherDept}`).click();
    await drawer.getByRole('button', { name: /^作\s?废$/ }).click();
    await confirmPopup(page);
    await expect.poll(() => drawer.textContent()).toContain('必填');
    await drawer.getByLabel('作废理由（必填，工单保留并照常统计）').fill('来电人重复登记');
    await drawer.getByRole('button', { name: /^作\s?废$/ }).click();
    await confirmPopup(page);
    await expect.poll(() => drawer.textContent()).toContain('已作废');
    await drawer.locator('.ant-drawer-close').click();
    await expect.poll(() => page.getByTestId('supervision-open').textContent()).toContain('11');
    expect(await table.textContent()).not.toContain(numbers.otherDept);

    // English on Alt+L.
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByTestId('supervision-overdue').textContent()).toContain('Overdue');
    await screenshot(page, '64-manager-supervision-en');
    await page.keyboard.press('Alt+L');
    await page.close();
  }, 90_000);
});
