import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials } from '../../api/auth/auth.sql.ts';
import { hashPassword } from '../../api/auth/passwords.ts';
import { seedCourt, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { publishEvent } from '../../api/realtime/event-catalogue.ts';
import { serviceOf } from '../../platform/deps.ts';
import { seedCall, seedMessageRecording, seedOperator, todayAt } from '../../telephony/unowned/testing/seed.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console unowned-queue browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const recordingsDir = mkdtempSync(join(tmpdir(), 'hotline-unowned-ui-'));
afterAll(() => rmSync(recordingsDir, { recursive: true, force: true }));
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000', TELEPHONY_RECORDINGS_DIR: recordingsDir }) : (undefined as never);
// Two operators at two consoles: two browsers (a browser profile holds one session).
const first = enabled ? await useBrowser() : (undefined as never);
const second = enabled ? await useBrowser() : (undefined as never);

const viewports = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/** The element is inside the window as it is, with no scrolling. */
async function inView(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).first().boundingBox();
  const size = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

/** Opens 待认领 from the menu, as a person does. */
async function openFromMenu(page: Page): Promise<void> {
  await page.goto(`${hotline.url}/`);
  await page.getByRole('menuitem', { name: '待认领' }).click();
  await page.waitForURL('**/unowned');
}

describe.skipIf(!enabled)('待认领 in Chromium: two operators, a manager', () => {
  let court: SeededCourt;
  let secondUsername: string;
  const abandoned: string[] = [];
  const messages: string[] = [];

  beforeAll(async () => {
    const db = hotline.deps.db;
    court = await seedCourt(db);
    const secondId = await seedOperator(db, court.courtId, 'op2');
    await db.insert(credentials).values({ userId: secondId, passwordHash: await hashPassword(testPassword) });
    secondUsername = (await db.execute<{ username: string }>(sql`select username from platform.users where id = ${secondId}`)).rows[0]!.username;
    const tickets = serviceOf(hotline.deps, 'tickets');
    // Per viewport: a caller who gave up twice after choosing 诉讼咨询, and a message with its recording.
    for (const [i] of viewports.entries()) {
      await seedCall(db, { courtId: court.courtId, caller: `1370000100${i}`, at: todayAt(1 + i), outcome: 'abandoned_in_queue', option: 'enquiry' });
      abandoned.push(await seedCall(db, { courtId: court.courtId, caller: `1370000100${i}`, at: todayAt(3 + i), outcome: 'abandoned_in_queue', option: 'enquiry' }));
      const callId = await seedCall(db, { courtId: court.courtId, caller: `1370000200${i}`, at: todayAt(5 + i), outcome: 'message_left' });
      await seedMessageRecording(db, recordingsDir, { callId, courtId: court.courtId, at: todayAt(5 + i) });
      messages.push((await tickets.createFromMessage({ courtId: court.courtId, callId, callerNumber: `1370000200${i}`, kind: 'message', reason: 'after_hours' })).id);
    }
    // Enough others that the list pages: a full page still fits the window.
    for (let k = 0; k < 10; k++) await seedCall(db, { courtId: court.courtId, caller: `1370000400${k}`, at: todayAt(1 + k / 10), outcome: 'abandoned_in_queue', option: 'operator' });
  }, 60_000);

  it.each(viewports.map((v, i) => [v, i] as const))('operators at %o: the entries show with the recording; a claim removes the entry from the other console live', async (viewport, i) => {
    const a = await first.newPage();
    const b = await second.newPage();
    await a.setViewportSize(viewport);
    await b.setViewportSize(viewport);
    if (i === 0) {
      await signIn(a, hotline.url, court.users.operator.username, testPassword);
      await signIn(b, hotline.url, secondUsername, testPassword);
      await a.waitForURL('**/desk');
      await b.waitForURL('**/desk');
    }
    await openFromMenu(a);
    await openFromMenu(b);
    const abandonedRow = `entry-abandoned:${abandoned[i]}`;
    const messageRow = `entry-ticket:${messages[i]}`;
    for (const page of [a, b]) {
      await expect.poll(() => page.getByTestId(abandonedRow).count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => page.getByTestId(messageRow).count()).toBe(1);
    }
    // The abandoned caller: one entry, two tries, the menu choice; masked number.
    const row = await a.getByTestId(abandonedRow).textContent();
    expect(row).toContain('放弃来电');
    expect(row).toContain(`137****100${i}`);
    expect(row).toContain('2 次');
    expect(row).toContain('诉讼咨询');
    // The message plays in the page: an audio element on the recording route.
    const audio = a.getByTestId(`recording-ticket:${messages[i]}`);
    expect(await audio.getAttribute('src')).toMatch(/^\/api\/telephony\/calls\/[0-9a-f-]+\/recording\?kind=message$/);
    expect(await audio.evaluate((el) => el.tagName)).toBe('AUDIO');
    await audio.evaluate((el) => (el as unknown as { load(): void; readyState: number; duration: number }).load());
    await expect.poll(() => audio.evaluate((el) => (el as unknown as { load(): void; readyState: number; duration: number }).readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(await audio.evaluate((el) => Math.round((el as unknown as { load(): void; readyState: number; duration: number }).duration))).toBe(1);
    // The newest entry and its claim button are on screen, and a full page of the list with its pager needs no scrolling.
    expect(await inView(a, messageRow)).toBe(true);
    expect(await a.locator('.ant-table-row').count()).toBe(10);
    expect(await a.locator('.ant-pagination').count()).toBe(1);
    expect(await a.evaluate('document.scrollingElement.scrollHeight <= window.innerHeight')).toBe(true);
    await screenshot(a, `unowned-operator-${viewport.width}x${viewport.height}`);

    // Operator A claims the caller who gave up: B's page drops it without a reload.
    await a.getByTestId(abandonedRow).getByRole('button', { name: /认\s?领/ }).click();
    await expect.poll(() => a.getByTestId('unowned-claimed').count()).toBeGreaterThan(0);
    expect(await a.getByTestId('unowned-claimed').first().textContent()).toMatch(new RegExp(`已认领：工单 \\S+，请回电 1370000100${i}`));
    await expect.poll(() => b.getByTestId(abandonedRow).count(), { timeout: 5000 }).toBe(0);
    expect(await b.getByTestId(messageRow).count()).toBe(1);
    // B claims the message; A's page drops it.
    await b.getByTestId(messageRow).getByRole('button', { name: /认\s?领/ }).click();
    await expect.poll(() => a.getByTestId(messageRow).count(), { timeout: 5000 }).toBe(0);
    await screenshot(b, `unowned-operator-after-claims-${viewport.width}x${viewport.height}`);
    // The claim's link opens the ticket the operator now owns.
    await a.getByTestId('unowned-claimed').first().getByText('查看工单').click();
    await a.waitForURL('**/tickets/*');
    await a.close();
    await b.close();
  });

  it('a manager reads the queue without claim buttons and sets the automatic callback (validated)', async () => {
    const db = hotline.deps.db;
    await seedCall(db, { courtId: court.courtId, caller: '13700003000', at: todayAt(9), outcome: 'abandoned_in_queue', option: 'complaint' });
    // The first console's browser, now signed in as the manager.
    await first.clearCookies();
    const page = await first.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.manager.username, testPassword);
    // The manager still lands on the wallboard; 待认领 is in the menu.
    await page.waitForURL('**/dashboard');
    await page.getByRole('menuitem', { name: '待认领' }).click();
    await page.waitForURL('**/unowned');
    await expect.poll(() => page.getByText('137****3000').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('button', { name: /认\s?领/ }).count()).toBe(0);
    expect(await page.getByText('只读：认领由话务员进行').count()).toBe(1);
    // A caller gives up while the page is open: telephony announces the call's end and the entry appears, no reload.
    const id = await seedCall(db, { courtId: court.courtId, caller: '13700003001', at: new Date(Math.max(todayAt(0).getTime() + 1000, Date.now() - 5000)), outcome: 'abandoned_in_queue', option: 'judge_contact' });
    await publishEvent(hotline.deps.events, { type: 'call.ended', courtId: court.courtId, audience: { roles: ['operator', 'manager'] }, data: { callId: id, outcome: 'abandoned_in_queue', endedAt: new Date().toISOString() } });
    await expect.poll(() => page.getByText('137****3001').count(), { timeout: 10_000 }).toBe(1);
    const form = page.getByTestId('auto-callback-settings');
    await expect.poll(() => form.getByLabel('开始拨打时间').inputValue()).toBe('09:00');
    // closes before opens: refused in the form, nothing sent.
    await form.getByLabel('停止拨打时间').fill('08:00');
    await form.getByRole('button', { name: /保存设置/ }).click();
    await expect.poll(() => form.getByText('停止时间须晚于开始时间').count()).toBe(1);
    await form.getByLabel('停止拨打时间').fill('18:00');
    await form.getByRole('switch').click();
    await form.getByRole('button', { name: /保存设置/ }).click();
    await expect.poll(() => page.getByText('自动回拨设置已保存').count()).toBeGreaterThan(0);
    const saved = (await db.execute<{ enabled: boolean; opens: string; closes: string }>(sql`select enabled, opens, closes from telephony.auto_callback_settings where court_id = ${court.courtId}`)).rows[0];
    expect(saved).toMatchObject({ enabled: true, opens: '09:00', closes: '18:00' });
    await screenshot(page, 'unowned-manager-1366x768');
    // English is a key away (Alt+L), without a reload.
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByText('Waiting to be claimed', { exact: true }).count()).toBe(1);
    expect(await page.getByText('Automatic callback', { exact: true }).count()).toBe(1);
    await screenshot(page, 'unowned-manager-en-1366x768');
    await page.keyboard.press('Alt+L');
    // A reload (or a link) straight to /unowned gets the page too.
    await page.reload();
    await expect.poll(() => page.getByText('137****3000').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });
});
