import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../api/audit/audit.sql.ts';
import { call, seedCourt, signIn as apiSignIn, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, confirmPopup, openDialog, screenshot, signIn, useBrowser, watchPage } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console settings browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

/** The 15th of this month in China time: a day the month view shows without paging. */
function dayThisMonth(): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).split('-');
  return `${year}-${month}-15`;
}

describe.skipIf(!enabled)('settings pages in Chromium: calendar, hours, categories, KPI settings, skills', () => {
  let court: SeededCourt;
  let adminCookie: string;
  const code = `lease_e2e_${Date.now().toString(36)}`;
  const get = (path: string) => call(hotline.url, 'GET', path, { cookie: adminCookie });
  const adminActions = async () =>
    (await hotline.deps.db.select().from(auditLog).where(and(eq(auditLog.action, 'admin.action'), eq(auditLog.actorUserId, court.users.admin.id)))).map(
      (e) => e.detail as { method: string; route: string; status: number },
    );

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    adminCookie = await apiSignIn(hotline.url, court.users.admin.username);
  }, 60_000);

  async function openTab(page: Page, name: string) {
    await page.getByRole('tab', { name }).click();
    await expect.poll(() => page.getByRole('tab', { name, selected: true }).count()).toBe(1);
  }

  it('an admin at 1366×768 marks a holiday, changes the hours, adds and edits a category, changes a KPI setting and an operator’s skills', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.admin.username, testPassword);
    await page.getByRole('menuitem', { name: '系统设置' }).click();
    await page.waitForURL('**/settings');

    // The month view: mark the 15th a holiday of the court.
    const day = dayThisMonth();
    await page.locator(`[data-testid="settings-calendar"] td[title="${day}"]`).click();
    const dialog = await openDialog(page);
    await expect.poll(() => dialog.textContent()).toContain(`设定 ${day}`);
    // Empty name and source: the form refuses before anything is sent.
    await dialog.getByRole('button', { name: /保\s?存/ }).click();
    await expect.poll(() => dialog.getByText('必填').count()).toBe(2);
    await dialog.getByLabel('名称').fill('本院停止对外办公');
    await dialog.getByLabel('依据').fill('本院关于设备检修的通知');
    await dialog.getByRole('button', { name: /保\s?存/ }).click();
    const mark = page.getByTestId(`calendar-mark-${day}`);
    await expect.poll(() => mark.getAttribute('data-origin')).toBe('court');
    expect(await mark.textContent()).toContain('本院停止对外办公');
    expect(await page.getByTestId('settings-court-days').textContent()).toContain(day);
    const calendar = await get(`/api/calendar/${day.slice(0, 4)}`);
    expect(calendar.body).toContainEqual(expect.objectContaining({ day, kind: 'holiday', origin: 'court', name: '本院停止对外办公', source: '本院关于设备检修的通知' }));
    await screenshot(page, 'settings-admin-calendar-1366x768');

    // Hotline hours: a Saturday morning session; a session that closes before it opens is refused and changes nothing.
    await openTab(page, '热线服务时间');
    const before = (await get('/api/business-hours')).body;
    await page.getByRole('button', { name: '周六 添加时段' }).click();
    await page.getByLabel('周六 开始 1').fill('09:00');
    await page.getByLabel('周六 结束 1').fill('08:00');
    await page.getByTestId('hours-save').click();
    await expect.poll(() => page.getByTestId('hours-error').textContent()).toContain('周六：开始时间须早于结束时间');
    expect((await get('/api/business-hours')).body).toEqual(before);
    await page.getByLabel('周六 结束 1').fill('12:00');
    await page.getByTestId('hours-save').click();
    await expect.poll(async () => (await get('/api/business-hours')).body.sessions).toContainEqual({ weekday: 6, opens: '09:00', closes: '12:00' });
    expect(await page.getByTestId('hours-error').count()).toBe(0);
    await screenshot(page, 'settings-admin-hours-1366x768');

    // Categories: the server's message for a bad code is shown; a good one is listed and editable.
    await openTab(page, '工单类别与办理期限');
    await page.getByRole('button', { name: '新增类别' }).click();
    const form = await openDialog(page);
    await form.getByLabel('代码').fill('Bad Code');
    await form.getByLabel('中文名称').fill('租赁纠纷咨询');
    await form.getByLabel('英文名称').fill('Lease disputes');
    await form.getByLabel('期限天数').fill('5');
    await form.getByRole('button', { name: /保\s?存/ }).click();
    await expect.poll(() => page.getByTestId('category-error').textContent()).toContain('code');
    expect((await get('/api/ticket-categories')).body.map((c: { nameZh: string }) => c.nameZh)).not.toContain('租赁纠纷咨询');
    await form.getByLabel('代码').fill(code);
    await form.getByRole('button', { name: /保\s?存/ }).click();
    const table = page.getByTestId('settings-categories');
    await expect.poll(() => table.textContent()).toContain('租赁纠纷咨询');
    expect(await table.locator('tr', { hasText: code }).textContent()).toContain('5 个工作日');
    expect((await get('/api/ticket-categories')).body).toContainEqual(expect.objectContaining({ code, deadlineDays: 5, dayKind: 'working', active: true }));
    await page.getByRole('button', { name: `编辑 ${code}` }).click();
    const days = await openDialog(page);
    await days.getByLabel('期限天数').fill('7');
    await days.getByRole('button', { name: /保\s?存/ }).click();
    await expect.poll(async () => table.locator('tr', { hasText: code }).textContent()).toContain('7 个工作日');
    await screenshot(page, 'settings-admin-categories-1366x768');

    // KPI settings: out of range is the server's 400 (shown, nothing changed); 30 s is saved.
    await openTab(page, '考核指标设置');
    await expect.poll(() => page.getByTestId('kpi-form-ready').count()).toBe(1);
    await page.getByLabel('服务水平阈值（秒）').fill('700');
    await page.getByTestId('kpi-save').click();
    await expect.poll(() => page.getByTestId('kpi-error').count()).toBe(1);
    expect((await get('/api/kpi/settings')).body.serviceLevelSeconds).toBe(20);
    await page.getByLabel('服务水平阈值（秒）').fill('30');
    await page.getByTestId('kpi-save').click();
    await expect.poll(async () => (await get('/api/kpi/settings')).body.serviceLevelSeconds).toBe(30);
    await expect.poll(() => page.getByTestId('kpi-changed').textContent()).toContain('上次修改');
    await screenshot(page, 'settings-admin-kpi-1366x768');

    // Operator skills: ticking 诉讼咨询 saves at once.
    await openTab(page, '话务员技能');
    const row = page.getByTestId('settings-skills').locator('tr', { hasText: court.users.operator.username });
    await row.getByLabel('诉讼咨询').check();
    await expect.poll(async () => (await get('/api/telephony/operator-skills')).body.operators[0].skills).toEqual(['enquiry']);
    await screenshot(page, 'settings-admin-skills-1366x768');

    // Every change is in the audit trail.
    await expect
      .poll(async () => (await adminActions()).map((d) => `${d.method} ${d.route} ${d.status}`))
      .toEqual(
        expect.arrayContaining([
          'PUT /api/calendar 200',
          'PUT /api/business-hours 200',
          'POST /api/ticket-categories 400',
          'POST /api/ticket-categories 201',
          'PATCH /api/ticket-categories/:code 200',
          'PUT /api/kpi/settings 400',
          'PUT /api/kpi/settings 200',
          'PUT /api/telephony/operator-skills/:userId 200',
        ]),
      );
    await page.close();
  }, 120_000);

  it('at 1920×1080 the admin removes the court’s day (the national calendar applies again), in English too', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    const watched = watchPage(page);
    await page.goto(`${hotline.url}/settings?tab=calendar`);
    const day = dayThisMonth();
    await page.getByTestId('settings-court-days').locator('tr', { hasText: day }).click();
    // The dialog settles before its button is pressed (a CI run lost this click in the dialog's zoom: nothing was sent).
    await (await openDialog(page)).getByRole('button', { name: '取消本院设定（恢复国家安排）' }).click();
    await watched.explain(async () => {
      // The dialog closes once the day is dropped (an error would keep it open and say why), then the month view reloads.
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      await expect.poll(() => page.locator(`[data-testid="calendar-mark-${day}"][data-origin="court"]`).count()).toBe(0);
    });
    expect((await get(`/api/calendar/${day.slice(0, 4)}`)).body).not.toContainEqual(expect.objectContaining({ day, origin: 'court' }));
    await screenshot(page, 'settings-admin-calendar-1920x1080');
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByRole('tab', { name: 'Hotline hours' }).count()).toBe(1);
    await openTab(page, 'Hotline hours');
    expect(await page.getByTestId('settings-hours').textContent()).toContain('Saturday');
    await screenshot(page, 'settings-admin-hours-en-1920x1080');
    await page.keyboard.press('Alt+L');
    await page.close();
  }, 60_000);

  it('the admin sends a number’s calls to the court, sees a number twice refused, and removes it', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${hotline.url}/settings?tab=numbers`);
    const number = `1236${Date.now() % 100_000}`;
    await page.getByRole('textbox', { name: '号码' }).fill(number);
    await page.getByTestId('numbers-add').click();
    await expect.poll(() => page.getByTestId('settings-numbers').textContent()).toContain(number);
    expect((await get('/api/telephony/hotline-numbers')).body.map((n: { number: string }) => n.number)).toEqual([number]);
    await page.getByRole('textbox', { name: '号码' }).fill(number);
    await page.getByTestId('numbers-add').click();
    await expect.poll(() => page.getByTestId('numbers-error').textContent()).toContain('已属于本院');
    await screenshot(page, 'settings-admin-numbers-1366x768');
    // A CI run under load once saw the number still there after 确定: a failure here says what the page was told.
    const watched = watchPage(page);
    await page.getByRole('button', { name: `移除 ${number}` }).click();
    await watched.explain(async () => {
      await confirmPopup(page);
      await expect.poll(async () => (await get('/api/telephony/hotline-numbers')).body).toEqual([]);
    });
    await expect.poll(() => page.getByTestId('settings-numbers').textContent()).not.toContain(number);
    await page.close();
  }, 60_000);

  it('an operator has no settings menu entry, the address sends them home, and the API refuses their changes', async () => {
    const context = await useBrowser();
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    expect(await page.getByRole('menuitem', { name: '系统设置' }).count()).toBe(0);
    await page.goto(`${hotline.url}/settings`);
    await page.waitForURL('**/desk');
    expect(await page.getByTestId('settings-page').count()).toBe(0);
    const operator = await apiSignIn(hotline.url, court.users.operator.username);
    expect((await call(hotline.url, 'PUT', '/api/calendar', { cookie: operator, body: { day: dayThisMonth(), kind: 'holiday', name: '无权', source: '无权' } })).status).toBe(403);
    expect((await call(hotline.url, 'PUT', '/api/kpi/settings', { cookie: operator, body: { serviceLevelSeconds: 10, shortAbandonSeconds: 0 } })).status).toBe(403);
    expect((await call(hotline.url, 'GET', '/api/telephony/operator-skills', { cookie: operator })).status).toBe(403);
    await page.close();
  }, 60_000);
});
