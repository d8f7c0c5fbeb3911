import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { call, seedCourt, sessionCookieFor, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { silentWav } from '../../telephony/ari-sim/routes/media.ts';
import { recordingsDir } from '../../telephony/recordings/register.ts';
import { recordings } from '../../telephony/recordings/recordings.sql.ts';
import { calls } from '../../telephony/telephony.sql.ts';
import { tickets } from '../../tickets/tickets.sql.ts';
import { worklistExportHeader } from '../../tickets/worklist-export.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

/**
 * The work list (工单列表) and a ticket's page in Chromium, through the real API: as an operator and as a manager, at
 * 1366×768 and 1920×1080, what must be on screen without scrolling; filtering, opening a ticket, the export's contents.
 */
const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[work list browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

const hour = 3_600_000;
const sizes = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** The element is entirely inside the viewport as the page first shows it (no scrolling). */
async function onScreen(page: Page, locator: Locator, what: string): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
  const box = await locator.first().boundingBox();
  const view = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.y + box!.height, `${what} is below the fold`).toBeLessThanOrEqual(view.height);
  expect(box!.x + box!.width, `${what} is off to the right`).toBeLessThanOrEqual(view.width);
}

describe.skipIf(!enabled)('the work list and the ticket page in Chromium', () => {
  let court: SeededCourt;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const db = hotline.deps.db;
    court = await seedCourt(db);
    const [a, b] = court.departmentIds;
    const u = court.users;
    const now = Date.now();
    const base = { courtId: court.courtId, details: '', updatedAt: new Date(now - 48 * hour) };
    // Thirty more, due later, handed to the enforcement division; half of them the operator's own.
    await db.insert(tickets).values(
      Array.from({ length: 30 }, (_, i) => ({
        ...base,
        number: `T0001-20261120-${String(i + 1).padStart(4, '0')}`,
        stage: 'handoff' as const,
        ownerId: i % 2 === 0 ? u.operator.id : null,
        handlerUserId: u.otherJudge.id,
        handlerDepartmentId: b,
        deadline: new Date(now + (5 + i) * 24 * hour),
        category: 'enquiry',
        summary: `执行款查询 ${i + 1}`,
        createdAt: new Date(now - (100 + i) * hour),
      })),
    );
    // The overdue ticket came from a call the operator answered; its recording is stored.
    const callId = randomUUID();
    const arrivedAt = new Date(now - 3 * hour);
    await db.insert(calls).values({ id: callId, courtId: court.courtId, channelId: 'ch-wl', callerNumber: '13800000001', dialled: '12368', arrivedAt, answeredAt: new Date(arrivedAt.getTime() + 15_000), answeredBy: u.operator.id, endedAt: new Date(arrivedAt.getTime() + 195_000), outcome: 'answered' });
    const dir = recordingsDir(hotline.deps.config);
    const path = `test/${callId}.wav`;
    mkdirSync(join(dir, 'test'), { recursive: true });
    const wav = silentWav(2000);
    writeFileSync(join(dir, path), wav);
    await db.insert(recordings).values({ callId, kind: 'conversation', courtId: court.courtId, callArrivedAt: arrivedAt, name: `call-${callId}`, status: 'stored', path, sizeBytes: wav.length, storedAt: new Date() });
    // Registered and handed off over HTTP as the operator would (so its trail is real); then its deadline is moved
    // into the past, as time passing would do.
    const cookie = await sessionCookieFor(db, u.operator.id);
    const created = await call(hotline.url, 'POST', '/api/tickets', { cookie, body: { summary: '询问开庭时间', callerNumber: '13800000001', category: 'case_progress', callId } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.overdue = created.body.id;
    expect((await call(hotline.url, 'POST', `/api/tickets/${ids.overdue}/handoff`, { cookie, body: { handlerUserId: u.judge.id } })).status).toBe(200);
    await db.update(tickets).set({ deadline: new Date(now - 2 * hour) }).where(eq(tickets.id, ids.overdue!));
    ids.number = created.body.number;
  });

  async function openWorklist(who: 'operator' | 'manager', size: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage();
    await browser.clearCookies();
    await page.setViewportSize(size);
    await signIn(page, hotline.url, court.users[who].username, testPassword);
    await page.getByRole('menuitem', { name: '工单列表' }).click();
    await page.waitForURL('**/worklist');
    await expect.poll(() => page.locator('tr.worklist-row').count()).toBeGreaterThan(2);
    return page;
  }

  /** What a person must see on opening the list, without scrolling: the filters, the export, the header and the first rows. */
  async function assertFirstScreen(page: Page, who: string): Promise<void> {
    await onScreen(page, page.getByPlaceholder('搜索摘要或内容'), `${who}: the search box`);
    await onScreen(page, page.getByRole('combobox', { name: '环节' }), `${who}: the stage filter`);
    await onScreen(page, page.getByRole('combobox', { name: '期限' }), `${who}: the deadline filter`);
    await onScreen(page, page.getByRole('link', { name: /导出 Excel/ }), `${who}: the export button`);
    await onScreen(page, page.locator('.ant-table-thead'), `${who}: the table header`);
    for (const n of [0, 1, 2]) await onScreen(page, page.locator('tr.worklist-row').nth(n), `${who}: row ${n + 1}`);
    await onScreen(page, page.locator('tr.worklist-overdue').first(), `${who}: the overdue ticket, highlighted`);
  }

  it('gives an operator their own tickets first, fits 1366×768 and 1920×1080, filters and opens a ticket page with its call and recording', { timeout: 120_000 }, async () => {
    for (const size of sizes) {
      const page = await openWorklist('operator', size);
      await assertFirstScreen(page, `operator ${size.width}×${size.height}`);
      // Mine by default: the overdue one and fifteen of the thirty.
      await expect.poll(() => page.getByText('共 16 件').count()).toBe(1);
      await screenshot(page, `worklist-operator-${size.width}x${size.height}`);
      await page.close();
    }

    const page = await openWorklist('operator', sizes[0]!);
    await page.getByText('本院', { exact: true }).click();
    await expect.poll(() => page.getByText('共 31 件').count()).toBe(1);
    const search = page.getByPlaceholder('搜索摘要或内容');
    await search.fill('开庭');
    await search.press('Enter');
    await expect.poll(() => page.locator('tr.worklist-row').count()).toBe(1);
    await expect.poll(() => page.url()).toContain('q=');
    await page.locator('tr.worklist-row').first().click();
    await page.waitForURL(`**/tickets/${ids.overdue}`);
    await expect.poll(() => page.getByText(ids.number!).count()).toBeGreaterThan(0);
    // The whole trail, with who acted: registered from the call and handed off by the operator.
    await expect.poll(() => page.locator('[data-trail-action="create"]').textContent()).toContain('operator 用户');
    await expect.poll(() => page.locator('[data-trail-action="hand_off"]').count()).toBe(1);
    await expect.poll(() => page.getByText('已接听').count()).toBe(1);
    await expect.poll(() => page.getByText('3 分 15 秒').count()).toBe(1);
    const audio = page.locator('[data-recording="conversation"] audio');
    await expect.poll(() => audio.count()).toBe(1);
    // The player's source answers audio (the operator answered this call).
    const src = await audio.getAttribute('src');
    const played = await page.evaluate(async (url) => (await fetch(url!)).headers.get('content-type'), src);
    expect(played).toBe('audio/wav');
    await screenshot(page, 'worklist-operator-ticket-page');
    // A reload (or a link sent to a colleague) opens the same ticket page.
    await page.reload();
    await expect.poll(() => page.locator('[data-trail-action="hand_off"]').count()).toBe(1);
    // Back to the same list.
    await page.getByRole('button', { name: '返回工单列表' }).click();
    await expect.poll(() => page.locator('tr.worklist-row').count()).toBe(1);
    await page.close();
  });

  it('gives a manager the court, fits both sizes, filters overdue, exports it as XLSX and chases from the ticket page', { timeout: 120_000 }, async () => {
    for (const size of sizes) {
      const page = await openWorklist('manager', size);
      await assertFirstScreen(page, `manager ${size.width}×${size.height}`);
      await expect.poll(() => page.getByText('共 31 件').count()).toBe(1);
      await screenshot(page, `worklist-manager-${size.width}x${size.height}`);
      await page.close();
    }

    const page = await openWorklist('manager', sizes[0]!);
    // More filters: a caller's number finds their ticket; 重置 clears the filters and the typed box.
    await page.getByRole('button', { name: '更多筛选' }).click();
    const caller = page.getByPlaceholder('来电号码');
    await caller.fill('13800000001');
    await caller.press('Enter');
    await expect.poll(() => page.getByText('共 1 件').count()).toBe(1);
    await page.getByRole('button', { name: /重\s?置/ }).click();
    await expect.poll(() => page.getByText('共 31 件').count()).toBe(1);
    expect(await caller.inputValue()).toBe('');
    // English one keystroke away.
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByText('Work list', { exact: true }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('31 tickets').count()).toBe(1);
    await screenshot(page, 'worklist-manager-en');
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByText('共 31 件').count()).toBe(1);

    await page.getByRole('combobox', { name: '期限' }).click();
    await page.locator('.ant-select-item-option', { hasText: '已超期' }).click();
    await expect.poll(() => page.getByText('共 1 件').count()).toBe(1);
    await expect.poll(() => page.locator('tr.worklist-overdue').count()).toBe(1);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /导出 Excel/ }).click()]);
    const file = await download.path();
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('工单列表')!;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(worklistExportHeader);
    expect(row(2).slice(0, 4)).toEqual([ids.number, '交办', '超期', '案件进度查询']);
    expect(row(2)).toContain('judge 用户');
    expect(row(2)).toContain('立案庭');
    // Only the filtered ticket, then the note of when it was exported.
    expect(String(row(3)[0])).toContain('导出时间');

    await page.locator('tr.worklist-row').first().click();
    await page.waitForURL(`**/tickets/${ids.overdue}`);
    await expect.poll(() => page.locator('[data-recording="conversation"] audio').count()).toBe(1);
    await page.getByLabel('督办意见（发送给承办人）').fill('请今天答复当事人');
    await page.getByRole('button', { name: '督 办' }).or(page.getByRole('button', { name: '督办', exact: true })).first().click();
    await expect.poll(() => page.locator('[data-trail-action="chase"]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-trail-action="chase"]').textContent()).toContain('请今天答复当事人');
    await screenshot(page, 'worklist-manager-ticket-page');
    await page.close();
  });
});
