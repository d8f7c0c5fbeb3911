import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, testPassword, useApi } from '../../api/testing/fixtures.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

/** Issue 21: the case list tab in Chromium: a CSV's dry run before the import, and the case system as an HTTP source. */
const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[case list browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000', HOTLINE_SIP_PASSWORD_SECRET: 'case-list-ui-secret-0123' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

// The court's case system, on a real local port.
let served = { status: 200, body: '[]' };
let seenAuthorization: string | undefined;
const caseSystem = createServer((req, res) => {
  seenAuthorization = req.headers.authorization;
  res.writeHead(served.status, { 'content-type': 'application/json' }).end(served.body);
});
await new Promise<void>((resolve) => caseSystem.listen(0, '127.0.0.1', resolve));
const systemUrl = `http://127.0.0.1:${(caseSystem.address() as AddressInfo).port}/hotline-cases`;
afterFile(() => new Promise<void>((resolve) => caseSystem.close(() => resolve())));

describe.skipIf(!enabled)('case list tab in Chromium', () => {
  it('an admin at 1366×768 checks a CSV (every row’s problem, then the counts), confirms the import, and connects the case system', async () => {
    const court = await seedCourt(hotline.deps.db);
    const judge = court.users.judge.username;
    const cases = async () =>
      (await hotline.deps.db.execute<{ case_number: string }>(sql`select case_number from telephony.case_directory where court_id = ${court.courtId} order by case_number`)).rows.map((r) => r.case_number);
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.admin.username, testPassword);
    // Signed in once the menu shows; only then is the address opened (else the sign-in page answers it).
    await page.getByRole('menuitem', { name: '系统设置' }).waitFor();
    await page.goto(`${hotline.url}/settings?tab=cases`);
    const choose = (csv: string) => page.locator('input[type=file]').setInputFiles({ name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    // A file with bad rows: each problem with its row, column and both languages; nothing written, nothing to confirm.
    await choose(`案号,承办法官账号,承办部门\n（2024）豫0811民初1234号,${judge},\n不是案号,${judge},\n（2024）豫0811民初77号,nobody,\n`);
    await expect.poll(() => page.getByTestId('cases-file').textContent()).toContain('cases.csv：3 行');
    await page.getByTestId('cases-check').click();
    const problems = page.getByTestId('cases-problems');
    await expect.poll(() => problems.locator('tbody tr').count()).toBe(2);
    const rows = await problems.locator('tbody tr').allTextContents();
    expect(rows[0]).toMatch(/^3案号.*不是有效的案号.*is not a case number/);
    expect(rows[1]).toMatch(/^4承办法官账号本院没有账号为“nobody”的法官或庭长no judge or head with username "nobody" in this court$/);
    expect(await page.getByTestId('cases-refused').textContent()).toContain('2 处问题');
    expect(await page.getByTestId('cases-confirm').count()).toBe(0);
    expect(await cases()).toEqual([]);
    await screenshot(page, 'settings-admin-cases-problems-1366x768');

    // A good file: the counts first, nothing written until confirmed.
    await choose(`案号,承办法官账号,承办部门\n（2024）豫0811民初1234号,${judge},\n（2025）豫0811执9号,,立案庭\n`);
    await page.getByTestId('cases-check').click();
    await expect.poll(() => page.getByTestId('cases-preview').textContent()).toContain('新增 2 件，更新 0 件');
    expect(await problems.count()).toBe(0);
    expect(await cases()).toEqual([]);
    await screenshot(page, 'settings-admin-cases-preview-1366x768');
    await page.getByTestId('cases-confirm').click();
    await expect.poll(() => page.getByTestId('cases-done').textContent()).toContain('已导入 2 件：新增 2 件');
    expect(await cases()).toHaveLength(2);

    // The case system: saved with a token (never shown again), synced now, then a failure shown and nothing changed.
    const card = page.getByTestId('case-source');
    await card.getByLabel('地址').fill(systemUrl);
    await card.getByLabel('访问令牌（Bearer，可选）').fill('ui-token-123456');
    await page.getByTestId('case-source-save').click();
    await expect.poll(() => card.textContent()).toContain('已保存令牌');
    expect(await card.getByLabel('访问令牌（Bearer，可选）').inputValue()).toBe('');
    served = { status: 200, body: JSON.stringify([{ 案号: '（2026）豫0811民初2号', 承办法官账号: judge }]) };
    await page.getByTestId('case-source-sync').click();
    await expect.poll(() => page.getByTestId('case-source-result').textContent()).toBe('成功');
    expect(await page.getByTestId('case-source-status').textContent()).toContain('共 1 件，新增 1 件');
    expect(seenAuthorization).toBe('Bearer ui-token-123456');
    expect(await cases()).toHaveLength(3);
    served = { status: 500, body: 'broken' };
    await page.getByTestId('case-source-sync').click();
    await expect.poll(() => page.getByTestId('case-source-result').textContent()).toBe('失败，未作更改');
    expect(await page.getByTestId('case-source-last-error').textContent()).toBe('案件系统返回 HTTP 500');
    expect(await cases()).toHaveLength(3);
    await screenshot(page, 'settings-admin-case-source-failed-1366x768');
    await page.close();
  }, 90_000);

  it('an operator cannot reach the tab, and the API refuses the dry run and the source', async () => {
    const court = await seedCourt(hotline.deps.db);
    const context = await useBrowser();
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await page.goto(`${hotline.url}/settings?tab=cases`);
    await page.waitForURL('**/desk');
    expect(await page.getByTestId('case-source').count()).toBe(0);
    const operator = await sessionCookieFor(hotline.deps.db, court.users.operator.id);
    expect((await call(hotline.url, 'POST', '/api/telephony/case-directory/preview', { cookie: operator, body: { csv: '案号\n（2024）豫0811民初1号\n' } })).status).toBe(403);
    expect((await call(hotline.url, 'PUT', '/api/telephony/case-source', { cookie: operator, body: { url: systemUrl } })).status).toBe(403);
    await page.close();
  }, 60_000);
});
