import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCourt, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { syncIncremental } from '../../kpi/sync.ts';
import { insertCall } from '../../kpi/testing/traffic.ts';
import { createLogger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import '../../telephony/plugin.ts';
import { callEvidence } from '../../telephony/outbound/evidence.ts';
import { defaultChaseSettings } from '../../tickets/deadline.ts';
import { TicketService } from '../../tickets/service.ts';
import { deliverByPhone } from '../../tickets/testing/phone-delivery.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console KPI snapshot browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

const hour = 3_600_000;
const day = 24 * hour;
const chinaMidnight = (now: number) => Math.floor((now + 8 * hour) / day) * day - 8 * hour;
/** A moment today (China time) that has already passed. */
const earlierToday = (share: number) => chinaMidnight(Date.now()) + Math.floor((Date.now() - chinaMidnight(Date.now())) * share);

async function expectOnScreen(page: Page, testIds: string[], height: number) {
  for (const id of testIds) {
    const box = (await page.getByTestId(id).boundingBox())!;
    expect(box.y + box.height, `${id} bottom at ${height}px high`).toBeLessThanOrEqual(height);
  }
}

describe.skipIf(!enabled)('manager: today on the KPI page, one snapshot, in Chromium', () => {
  let court: SeededCourt;
  let closedNumber = '';
  /** How many China hours of today the three calls fall in (one row each in the hourly figures). */
  let callHours = 0;
  const actor = (key: keyof SeededCourt['users']): Actor => ({ userId: court.users[key].id, role: court.users[key].role, courtId: court.courtId, departmentId: court.users[key].departmentId });
  const answered = (at: number) =>
    insertCall(hotline.deps.db, court.courtId, { id: randomUUID(), arrivedAt: at, inHours: true, queuedAt: at + 2000, answeredAt: at + 10_000, endedAt: at + 100_000, outcome: 'answered', operatorId: court.users.operator.id });

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    const times = [0.2, 0.4, 0.6].map(earlierToday);
    for (const at of times) await answered(at);
    // Spread over the part of today already gone: in the first hours after China midnight they share an hour.
    callHours = new Set(times.map((at) => Math.floor((at + 8 * hour) / hour))).size;
    // A ticket handed off and closed today, its deadline days ahead: not yet in any completion rate.
    let clock = earlierToday(0.3);
    const tickets = new TicketService({ db: hotline.deps.db, clock: { now: () => new Date(clock) }, logger: createLogger({ level: 'silent', pretty: false }), chase: defaultChaseSettings, onCommit: () => undefined, phoneEvidence: callEvidence(hotline.deps.db) });
    const ticket = await tickets.create(actor('operator'), { callerNumber: '13911112222', category: 'case_progress', summary: '询问开庭时间', details: '' });
    await tickets.handOff(actor('operator'), ticket.id, { handlerUserId: court.users.judge.id });
    clock = earlierToday(0.5);
    await tickets.reply(actor('judge'), ticket.id, { text: '下周三开庭' });
    await deliverByPhone(hotline.deps.db, tickets, actor('operator'), ticket.id);
    closedNumber = ticket.number;
    await syncIncremental(hotline.deps.db);
  }, 60_000);

  it('today reads by the hour; the card, its drill-down and the export are one snapshot; closed-not-yet-due beside the rate; the cards fit 1366×768', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.manager.username, testPassword);
    await expect.poll(() => page.getByRole('button', { name: '退出登录' }).count()).toBe(1);
    await page.goto(`${hotline.url}/kpi`);
    await expect.poll(() => page.getByTestId('kpi-connection').count()).toBe(1);

    // Today, from the presets: the trend turns hourly.
    await page.getByPlaceholder('开始日期').click();
    const hourly = page.waitForResponse((r) => r.url().includes('/api/kpi/figures') && r.url().includes('grain=hour'));
    await page.getByText('今天', { exact: true }).click();
    const figures = await (await hourly).json();
    await page.keyboard.press('Escape');
    expect(figures.rows.length).toBe(callHours);
    expect(figures.closedNotYetDue).toBe(1);
    await expect.poll(() => page.locator('.ant-segmented-item-selected').textContent()).toBe('按小时');
    await expect.poll(() => page.getByTestId('kpi-count-offered').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('kpi-closed-not-yet-due').textContent()).toContain('已办结、未到期 1 件');
    // It opens the ticket behind it.
    await page.getByTestId('kpi-count-closed_not_yet_due').click();
    await expect.poll(() => page.getByTestId('kpi-drill').textContent()).toContain(closedNumber);
    await page.locator('.ant-drawer-open .ant-drawer-close').click();
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    // A call arrives after the figures were read: the card's drill-down still lists the card's 3.
    while (Date.now() < Date.parse(figures.asOf) + 1500) await page.waitForTimeout(100);
    await answered(Date.now() - 500);
    await page.getByTestId('kpi-count-offered').click();
    const drawer = page.getByTestId('kpi-drill');
    await expect.poll(() => drawer.textContent()).toContain('共 3 条');
    await screenshot(page, '28-manager-kpi-today-snapshot');
    await page.locator('.ant-drawer-open .ant-drawer-close').click();
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
    const href = await page.getByTestId('kpi-export-csv').getAttribute('href');
    expect(new URLSearchParams(href!.split('?')[1]).get('asOf')).toBe(figures.asOf);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    const [header, ...rows] = csv.replace('\uFEFF', '').split('\r\n').map((l) => l.split(','));
    expect(rows.find((r) => r[0] === '全院合计')![header!.indexOf('进线')]).toBe('3');

    // The scored cards on one 1366×768 screen; at 1920×1080 the trend too.
    await expectOnScreen(page, ['kpi-connection', 'kpi-completion', 'kpi-score'], 768);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expectOnScreen(page, ['kpi-connection', 'kpi-completion', 'kpi-score', 'kpi-trend'], 1080);
    await screenshot(page, '29-manager-kpi-today-1920x1080');
    // Reloading the page keeps the period and the hourly grain (they are in the address).
    await page.reload();
    await expect.poll(() => page.locator('.ant-segmented-item-selected').textContent()).toBe('按小时');
    await expect.poll(() => page.getByTestId('kpi-count-offered').textContent()).toBe('4');
    await page.close();
  }, 60_000);
});
