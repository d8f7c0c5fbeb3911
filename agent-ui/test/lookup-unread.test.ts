/**
 * Lookups that cannot be read (useLookup) are never shown as empty or as raw ids, in Chromium against the real
 * server: the header names what is missing ("部分信息暂时无法读取：…（正在重试）"), a picker fed by an unread list says
 * so, and once the list can be read again — by the notice's 重试 button or by the automatic retry — the notice goes
 * and names replace the ids. The failures are the server's error answers (503), given by page.route.
 */
import type { Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCourt, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import '../../telephony/plugin.ts';
import { firstRetryMs, longestRetryMs } from '../src/api/lookupRetryDelay.ts';
import { buildConsole } from '../build.ts';
import { answerApiError, browserUnavailableReason, screenshot, signIn, useBrowser, watchPage } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[unread lookups browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

const unavailable = (route: Route) => answerApiError(route, 503);
const departmentsPath = /\/api\/departments$/;
const judgesPath = /\/api\/judges(\?.*)?$/;
const operatorsPath = /\/api\/console\/operators$/;

describe.skipIf(!enabled)('lookups that cannot be read, in Chromium', () => {
  let court: SeededCourt;

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    // One operator on the wallboard, named from the operators lookup.
    await serviceOf(hotline.deps, 'telephony').setPresence(court.users.operator.id, 'ready');
  });

  async function signedIn(who: keyof SeededCourt['users'], size = { width: 1366, height: 768 }): Promise<Page> {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.setViewportSize(size);
    await signIn(page, hotline.url, court.users[who].username, testPassword);
    await expect.poll(() => page.getByRole('button', { name: '退出登录' }).count()).toBe(1);
    return page;
  }
  const notice = (page: Page) => page.getByTestId('lookups-unread');

  it('work list: the notice names the unread departments and judges, the pickers say so; 重试 and the automatic retry read them', { timeout: 150_000 }, async () => {
    const page = await signedIn('manager');
    const watch = watchPage(page);
    await page.route(departmentsPath, unavailable);
    await page.route(judgesPath, unavailable);
    await page.goto(`${hotline.url}/worklist`);

    await watch.explain(async () => {
      await expect.poll(() => notice(page).textContent()).toContain('部分信息暂时无法读取：');
      const text = (await notice(page).textContent())!;
      expect(text).toContain('部门名单');
      expect(text).toContain('法官名单');
      expect(text).toContain('（正在重试）');
      // In the header bar (no height taken from the page), on screen.
      const inHeader = await page.locator('.ant-layout-header [data-testid="lookups-unread"]').count();
      expect(inHeader).toBe(1);
      const box = (await notice(page).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(1366);
      expect(box.y + box.height).toBeLessThanOrEqual(64);
      // The pickers fed by those lists say they are unread, not empty.
      await expect.poll(() => page.getByText('部门名单暂时无法读取').count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByText('法官名单暂时无法读取').count()).toBeGreaterThan(0);
      await page.getByRole('combobox', { name: '承办人' }).click();
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').textContent()).toContain('法官名单暂时无法读取');
      await page.keyboard.press('Escape');
    });
    await screenshot(page, 'lookups-unread-worklist');

    // The departments come back; the notice's button reads them now (not at the next automatic try).
    await page.unroute(departmentsPath);
    await page.getByTestId('lookups-retry').click();
    await watch.explain(async () => {
      await expect.poll(() => notice(page).textContent(), { timeout: 3_000 }).not.toContain('部门名单');
      expect(await notice(page).textContent()).toContain('法官名单');
      expect(await page.getByText('部门名单暂时无法读取').count()).toBe(0);
    });

    // The judges come back; nobody clicks: the automatic retry (5 s doubling; the click above started it again)
    // reads them and the notice goes. Waited for up to the longest wait between two tries, whatever the load.
    await page.unroute(judgesPath);
    await watch.explain(async () => {
      await expect.poll(() => notice(page).count(), { timeout: longestRetryMs + 5_000 }).toBe(0);
      expect(await page.getByText('法官名单暂时无法读取').count()).toBe(0);
      await page.getByRole('combobox', { name: '承办人' }).click();
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').textContent()).toContain('judge 用户');
      await page.keyboard.press('Escape');
    });
    await page.close();
  });

  it('wallboard (English): operator ids until the operators list is read, then their names', { timeout: 120_000 }, async () => {
    const page = await signedIn('manager', { width: 1366, height: 860 });
    const watch = watchPage(page);
    await page.route(operatorsPath, unavailable);
    await page.goto(`${hotline.url}/dashboard`);
    await page.getByRole('button', { name: '切换语言' }).click();
    await watch.explain(async () => {
      await expect.poll(() => notice(page).textContent()).toBe('Some information could not be read: operators (retrying)Retry');
      // The row shows a short id, and the header says why.
      await expect.poll(() => page.getByTestId('wallboard-operators').textContent()).toContain(court.users.operator.id.slice(0, 8));
      expect(await page.getByTestId('wallboard-operators').textContent()).not.toContain('operator 用户');
    });
    await screenshot(page, 'lookups-unread-wallboard-en');

    await page.unroute(operatorsPath);
    await watch.explain(async () => {
      await expect.poll(() => notice(page).count(), { timeout: longestRetryMs + 5_000 }).toBe(0);
      await expect.poll(() => page.getByTestId('wallboard-operators').textContent()).toContain('operator 用户');
    });
    await page.getByRole('button', { name: 'Switch language' }).click();
    await expect.poll(() => page.getByRole('button', { name: '退出登录' }).count()).toBe(1);
    await page.close();
  });

  it('a refused lookup (403) is named as refused and not read again by itself; 重试 reads it', { timeout: 60_000 }, async () => {
    const page = await signedIn('manager', { width: 1366, height: 860 });
    const watch = watchPage(page);
    let asked = 0;
    await page.route(operatorsPath, (route) => {
      asked += 1;
      return answerApiError(route, 403, { code: 'forbidden', message: 'not yours', message_zh: '无权访问' });
    });
    await page.goto(`${hotline.url}/dashboard`);
    await watch.explain(async () => {
      await expect.poll(() => notice(page).textContent()).toMatch(/^部分信息无法读取：话务员名单（服务器拒绝，请联系管理员）重\s?试$/);
      const first = asked;
      // Past the first automatic retry (5 s) of a lookup that is not refused: this one is not asked again.
      await new Promise((resolve) => setTimeout(resolve, firstRetryMs + 2_000));
      expect(asked).toBe(first);
    });
    await page.unroute(operatorsPath);
    await page.getByTestId('lookups-retry').click();
    await watch.explain(async () => {
      await expect.poll(() => notice(page).count()).toBe(0);
      await expect.poll(() => page.getByTestId('wallboard-operators').textContent()).toContain('operator 用户');
    });
    await page.close();
  });

  it('operator desk: unread softphone settings and judges are named in the header, the hand-off picker says so, and the desk keeps its one screen', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await browser.clearCookies();
    await page.setViewportSize({ width: 1366, height: 768 });
    const softphonePath = /\/api\/console\/softphone$/;
    await page.route(softphonePath, unavailable);
    await page.route(judgesPath, unavailable);
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    const watch = watchPage(page);
    await watch.explain(async () => {
      await expect.poll(() => notice(page).textContent()).toMatch(/部分信息暂时无法读取：(软电话设置、法官名单|法官名单、软电话设置)（正在重试）/);
      const header = (await page.locator('.ant-layout-header').boundingBox())!;
      expect(header.height).toBeLessThanOrEqual(64);
      const box = (await notice(page).boundingBox())!;
      const status = (await page.getByTestId('realtime-status').boundingBox())!;
      expect(box.x + box.width, 'the notice leaves the header’s status in sight').toBeLessThanOrEqual(status.x);
      expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThanOrEqual(768);
      // The work order's hand-off picker (承办法官) says its list is unread.
      await expect.poll(() => page.getByTestId('handoff-judge').textContent()).toContain('法官名单暂时无法读取');
    });
    await screenshot(page, 'lookups-unread-desk');
    // English words are longer: the notice shortens (its whole text in its tooltip), the header keeps one line.
    await page.keyboard.press('Alt+L');
    await watch.explain(async () => {
      await expect.poll(() => notice(page).textContent()).toContain('Some information could not be read:');
      const header = (await page.locator('.ant-layout-header').boundingBox())!;
      expect(header.height).toBeLessThanOrEqual(64);
      const box = (await notice(page).boundingBox())!;
      const status = (await page.getByTestId('realtime-status').boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(status.x);
      expect(status.y + status.height).toBeLessThanOrEqual(64);
      await expect.poll(() => page.getByTestId('handoff-judge').textContent()).toContain('Could not read judges');
    });
    await screenshot(page, 'lookups-unread-desk-en');
    await page.keyboard.press('Alt+L');
    await expect.poll(() => notice(page).textContent()).toContain('部分信息暂时无法读取');
    await page.unroute(softphonePath);
    await page.unroute(judgesPath);
    await page.getByTestId('lookups-retry').click();
    await watch.explain(async () => {
      await expect.poll(() => notice(page).count(), { timeout: 3_000 }).toBe(0);
      await page.getByTestId('handoff-judge').click();
      await expect.poll(() => page.locator('.ant-select-dropdown:visible').textContent()).toContain('judge 用户');
      await page.keyboard.press('Escape');
    });
    await page.close();
  });
});
