import { describe, expect, it } from 'vitest';
import '../../telephony/plugin.ts';
import { call, seedCourt, sessionCookieFor, useApi } from '../../api/testing/fixtures.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console password-change test skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

describe.skipIf(!enabled)('the console after an admin reset', () => {
  it('shows only the change-password form (zh-CN, English on the switch), then the desk', async () => {
    const court = await seedCourt(hotline.deps.db);
    const { id, username } = court.users.operator;
    const admin = await sessionCookieFor(hotline.deps.db, court.users.admin.id);
    expect((await call(hotline.url, 'PUT', `/api/users/${id}/password`, { cookie: admin, body: { password: 'reset by the admin' } })).status).toBe(204);

    const page = await browser.newPage();
    await browser.clearCookies();
    await signIn(page, hotline.url, username, 'reset by the admin');
    await expect.poll(() => page.getByRole('heading', { name: '设置新密码' }).count()).toBe(1);
    expect(await page.getByTestId('presence').count()).toBe(0); // no desk behind it
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Choose your password' }).count()).toBe(1);
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.getByRole('heading', { name: '设置新密码' }).count()).toBe(1);

    await page.getByLabel('当前密码（登录时使用的密码）').fill('reset by the admin');
    await page.getByLabel('新密码', { exact: true }).fill('1234567890');
    await page.getByLabel('再次输入新密码').fill('1234567890');
    await page.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '密码太容易被猜中' }).count()).toBe(1);
    await screenshot(page, '20-change-password-refused');

    await page.getByLabel('新密码', { exact: true }).fill('my own quiet phrase');
    await page.getByLabel('再次输入新密码').fill('my own quiet phrase');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.waitForURL('**/desk');
    await expect.poll(() => page.getByTestId('presence').count()).toBe(1);
    await page.close();
  });
});
