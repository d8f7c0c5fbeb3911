import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '../../api/realtime/event-catalogue.ts';
import { seedCourt, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { syncIncremental } from '../../kpi/sync.ts';
import { insertCall } from '../../kpi/testing/traffic.ts';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { recordingsDir } from '../../telephony/recordings/register.ts';
import { silentWav } from '../../telephony/ari-sim/routes/media.ts';
import { serviceOf } from '../../platform/deps.ts';
import { createLogger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import '../../telephony/plugin.ts';
import { callEvidence } from '../../telephony/outbound/evidence.ts';
import { defaultChaseSettings } from '../../tickets/deadline.ts';
import { TicketService } from '../../tickets/service.ts';
import { deliverByPhone } from '../../tickets/testing/phone-delivery.ts';
import { buildConsole } from '../build.ts';
import { answerApiError, browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console KPI browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
// No workers: the test syncs the KPI rollups itself, so what the pages show is exactly what it wrote.
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

const hour = 3_600_000;

/** Closes the open drawers, topmost first, with their close buttons. */
async function closeDrawers(page: Page): Promise<void> {
  for (let open = await page.locator('.ant-drawer-open').count(); open > 0; open = await page.locator('.ant-drawer-open').count()) {
    await page.locator('.ant-drawer-open .ant-drawer-close').last().click();
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBeLessThan(open);
  }
  await expect.poll(() => page.locator('.ant-drawer-mask').count()).toBe(0);
}
const day = 24 * hour;
/** Midnight of the China day `now` falls on; figures are bucketed by China days. */
const chinaMidnight = (now: number) => Math.floor((now + 8 * hour) / day) * day - 8 * hour;
/** A moment today (China time) that has already passed, whatever the time of day. */
const earlierToday = (now: number, share: number) => chinaMidnight(now) + Math.floor((now - chinaMidnight(now)) * share);

describe.skipIf(!enabled)('manager: live wallboard and KPI pages in Chromium', () => {
  let court: SeededCourt;
  const answeredIds: string[] = [];
  const ticketNumbers: Record<'completed' | 'overdue', string> = { completed: '', overdue: '' };
  const actor = (key: keyof SeededCourt['users']): Actor => ({ userId: court.users[key].id, role: court.users[key].role, courtId: court.courtId, departmentId: court.users[key].departmentId });
  const call = (at: number, answered: boolean) => {
    const id = randomUUID();
    if (answered) answeredIds.push(id);
    return insertCall(hotline.deps.db, court.courtId, {
      id, arrivedAt: at, inHours: true, queuedAt: at + 3000, answeredAt: answered ? at + 15_000 : null, endedAt: at + (answered ? 200_000 : 40_000),
      outcome: answered ? 'answered' : 'abandoned_in_queue', operatorId: answered ? court.users.operator.id : null,
    });
  };

  /** A stored recording of a call, as telephony's fetch job leaves it (file under the recordings dir and its row). */
  const storeRecording = async (callId: string) => {
    const dir = recordingsDir(hotline.deps.config);
    const path = `test/${callId}.wav`;
    mkdirSync(join(dir, 'test'), { recursive: true });
    const wav = silentWav(2000);
    writeFileSync(join(dir, path), wav);
    await hotline.deps.db.execute(sql`insert into telephony.recordings (call_id, kind, court_id, call_arrived_at, name, status, path, size_bytes, stored_at)
      select id, 'conversation', court_id, arrived_at, ${`call-${callId}`}, 'stored', ${path}, ${wav.length}, now() from telephony.calls where id = ${callId}`);
  };

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    const now = Date.now();
    const today = chinaMidnight(now);
    // Past days (10:00 and 11:00 China time): 3 answered and 1 abandoned; today: 1 answered (the wallboard adds an abandoned one later).
    await call(today - 3 * day + 10 * hour, true);
    await call(today - 3 * day + 11 * hour, true);
    await call(today - 1 * day + 10 * hour, true);
    await call(today - 1 * day + 11 * hour, false);
    await call(earlierToday(now, 0.5), true);
    // Two tickets handed off two weeks ago, on a clock set then: one replied and relayed in time, one never answered.
    let clock = now - 14 * day;
    const tickets = new TicketService({ db: hotline.deps.db, clock: { now: () => new Date(clock) }, logger: createLogger({ level: 'silent', pretty: false }), chase: defaultChaseSettings, onCommit: () => undefined, phoneEvidence: callEvidence(hotline.deps.db) });
    const done = await tickets.create(actor('operator'), { callerNumber: '13911112222', category: 'case_progress', summary: '询问开庭时间', details: '' });
    await tickets.handOff(actor('operator'), done.id, { handlerUserId: court.users.judge.id });
    const late = await tickets.create(actor('operator'), { callerNumber: '13933334444', category: 'complaint', summary: '投诉执行拖延', details: '' });
    await tickets.handOff(actor('operator'), late.id, { handlerUserId: court.users.otherJudge.id });
    clock += hour;
    await tickets.reply(actor('judge'), done.id, { text: '下周三开庭' });
    await deliverByPhone(hotline.deps.db, tickets, actor('operator'), done.id);
    ticketNumbers.completed = done.number;
    ticketNumbers.overdue = late.number;
    await syncIncremental(hotline.deps.db);
    await serviceOf(hotline.deps, 'telephony').setPresence(court.users.operator.id, 'ready');
  }, 60_000);

  it('the wallboard shows operators by state and today’s rates against 95%, and follows a call that ends', async () => {
    const page = await browser.newPage();
    await signIn(page, hotline.url, court.users.manager.username, testPassword);
    // Signed in (the home page is whichever the menu puts first), then to the wallboard.
    await expect.poll(() => page.getByRole('button', { name: '退出登录' }).count()).toBe(1);
    await page.goto(`${hotline.url}/dashboard`);
    await expect.poll(() => page.getByTestId('wallboard-state-ready').textContent()).toContain('1');
    await expect.poll(() => page.getByTestId('wallboard-operators').textContent()).toContain('operator 用户');
    await expect.poll(() => page.getByTestId('wallboard-waiting').textContent()).toContain('0');
    await expect.poll(() => page.getByTestId('wallboard-connection').textContent()).toContain('100.0%');
    await screenshot(page, '20-manager-wallboard');
    // At 1366×768 the waiting callers, the longest wait and today's rates are on screen without scrolling.
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const id of ['wallboard-waiting', 'wallboard-longest', 'wallboard-connection', 'wallboard-completion', 'wallboard-score']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.y + box.height, id).toBeLessThanOrEqual(768);
    }
    await screenshot(page, '20b-manager-wallboard-1366x768');
    await page.setViewportSize({ width: 1366, height: 860 });

    // A caller gives up in the queue: telephony writes the call and announces its end; the figures follow.
    const id = randomUUID();
    const at = earlierToday(Date.now(), 0.75);
    await insertCall(hotline.deps.db, court.courtId, { id, arrivedAt: at, inHours: true, queuedAt: at + 2000, answeredAt: null, endedAt: at + 30_000, outcome: 'abandoned_in_queue', operatorId: null });
    await syncIncremental(hotline.deps.db);
    publishEvent(hotline.deps.events, { type: 'call.ended', courtId: court.courtId, audience: { roles: ['manager'] }, data: { callId: id, outcome: 'abandoned_in_queue', endedAt: new Date(at + 30_000).toISOString() } });
    await expect.poll(() => page.getByTestId('wallboard-connection').textContent(), { timeout: 10_000 }).toContain('50.0%');
    await screenshot(page, '21-manager-wallboard-after-abandon');
    // Threshold colours: 50% is red (below 90%).
    expect(await page.getByTestId('wallboard-connection').getAttribute('data-level')).toBe('red');

    // Today by the hour: a bar per hour up to now, and the queue's peak line.
    const hours = new Date(Date.now() + 8 * hour).getUTCHours() + 1;
    await expect.poll(() => page.getByTestId('wallboard-hourly').getAttribute('data-hours')).toBe(String(hours));
    expect(await page.locator('[data-testid="wallboard-hourly"] canvas').count()).toBeGreaterThan(0);

    // The server cannot answer for a while: the wallboard says which numbers are old and since when, then clears.
    expect(await page.getByTestId('wallboard-stale').count()).toBe(0);
    const failing = (route: Route) => answerApiError(route, 503);
    await page.route(/\/api\/kpi\/figures\?/, failing);
    await page.route(/\/api\/telephony\/queue$/, failing);
    const ended = () => publishEvent(hotline.deps.events, { type: 'call.ended', courtId: court.courtId, audience: { roles: ['manager'] }, data: { callId: id, outcome: 'abandoned_in_queue', endedAt: new Date(at + 30_000).toISOString() } });
    await ended();
    const stale = page.getByTestId('wallboard-stale');
    await expect.poll(() => stale.textContent()).toMatch(/排队和坐席状态暂时无法刷新，显示的是 \d\d:\d\d:\d\d 的情况。.*今日指标暂时无法刷新，显示的是 \d\d:\d\d:\d\d 的数字。/);
    expect(await page.getByTestId('wallboard-connection').textContent()).toContain('50.0%');
    await screenshot(page, '21a-manager-wallboard-stale');
    await page.unrouteAll();
    await ended();
    await expect.poll(() => stale.count()).toBe(0);
    // Only the queue's hourly peak fails: the figures card is still marked old (the rates came, the peak did not).
    await page.route(/\/api\/kpi\/queue-length\?/, failing);
    await ended();
    await expect.poll(() => stale.textContent()).toMatch(/^今日指标暂时无法刷新，显示的是 \d\d:\d\d:\d\d 的数字。$/);
    await page.unrouteAll();
    await ended();
    await expect.poll(() => stale.count()).toBe(0);

    // 大屏: no menu, large type, everything a wall needs on one screen (1920×1080 and 1366×768), Esc leaves it.
    for (const [width, height] of [[1920, 1080], [1366, 768]] as const) {
      await page.setViewportSize({ width, height });
      await page.getByTestId('wallboard-big-screen').click();
      const big = page.getByTestId('wallboard-big');
      await expect.poll(() => big.count()).toBe(1);
      const box = (await big.boundingBox())!;
      expect([box.x, box.y, box.width, box.height]).toEqual([0, 0, width, height]);
      const fontSize = await page.getByTestId('wallboard-waiting').locator('.ant-statistic-content').evaluate((el) => parseFloat((globalThis as unknown as { getComputedStyle: (e: unknown) => { fontSize: string } }).getComputedStyle(el).fontSize));
      expect(fontSize).toBeGreaterThanOrEqual(56);
      const mustShow = ['wallboard-waiting', 'wallboard-longest', 'wallboard-connection', 'wallboard-completion', 'wallboard-state-ready', 'wallboard-score', ...(width === 1920 ? ['wallboard-hourly'] : [])];
      for (const id of mustShow) {
        const b = (await page.getByTestId(id).boundingBox())!;
        expect(b.y + b.height, `${id} at ${width}×${height}`).toBeLessThanOrEqual(height);
      }
      await screenshot(page, `21b-manager-wallboard-big-${width}x${height}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => big.count()).toBe(0);
    }
    await page.setViewportSize({ width: 1366, height: 860 });
    await page.close();
  });

  it('KPI pages: scored rates and score for any period, trend chart, per-dimension tables, drill-down to calls and tickets, export', async () => {
    const page = await browser.newPage();
    await page.goto(`${hotline.url}/kpi`);
    await expect.poll(() => page.getByText('绩效指标').count()).toBeGreaterThan(0);
    // The last 30 days, from the range picker's presets.
    await page.getByPlaceholder('开始日期').click();
    const figures = page.waitForResponse((r) => r.url().includes('/api/kpi/figures') && r.url().includes('grain=day'));
    await page.getByText('近30天').click();
    await figures;
    await page.keyboard.press('Escape');
    // Calls: 6 offered (4 past, 2 today), 4 answered → 66.7%; tickets: 2 due, 1 completed → 50.0%; both under 95% → 0 of 6.
    await expect.poll(() => page.getByTestId('kpi-connection').textContent()).toContain('66.7%');
    await expect.poll(() => page.getByTestId('kpi-completion').textContent()).toContain('50.0%');
    await expect.poll(() => page.getByTestId('kpi-score').textContent()).toContain('0 / 6 分');
    await expect.poll(() => page.locator('[data-testid="kpi-trend"] canvas').count()).toBeGreaterThan(0);
    // 录音质检 beside the rates: the team over the whole weeks the 30 days touch: the operator's 4 answered calls, none reviewed.
    const quality = page.getByTestId('kpi-quality');
    await expect.poll(() => quality.textContent()).toContain('0 / 4');
    const [, weekFrom, weekTo] = /按整周统计：(\d{4}-\d{2}-\d{2}) 至 (\d{4}-\d{2}-\d{2})/.exec((await quality.textContent()) ?? '') ?? [];
    const chinaDay = (ms: number) => new Date(ms + 8 * hour).toISOString().slice(0, 10);
    expect(weekFrom! <= chinaDay(Date.now() - 29 * day) && weekTo! >= chinaDay(Date.now())).toBe(true);
    await screenshot(page, '22-manager-kpi');

    // Drill down from "answered": exactly the answered calls.
    await page.getByTestId('kpi-count-answered').click();
    const drawer = page.getByTestId('kpi-drill');
    await expect.poll(() => drawer.textContent()).toContain('共 4 条');
    for (const id of answeredIds) expect(await drawer.getByTestId(`call-link-${id}`).count()).toBe(1);
    // No developer note on the page or in the drawer.
    for (const note of ['接口', '尚未记录', '尚无单个来电']) expect(await page.locator('body').textContent()).not.toContain(note);
    // A call's recording plays for the manager (streamed by the API); a call without one says so.
    const [recorded, unrecorded] = answeredIds as [string, string];
    await storeRecording(recorded);
    await drawer.getByTestId(`play-${recorded}`).click();
    await expect.poll(() => drawer.getByTestId(`audio-${recorded}`).evaluate((a) => (a as unknown as { readyState: number }).readyState), { timeout: 10_000 }).toBeGreaterThan(0);
    await drawer.getByTestId(`play-${unrecorded}`).click();
    await expect.poll(() => drawer.textContent()).toContain('无录音或无权收听');
    await screenshot(page, '23-manager-kpi-drill-calls');
    // A call opens its own page: menu choice, wait, the operator by name, its course and its recording.
    await drawer.getByTestId(`call-link-${recorded}`).click();
    await page.waitForURL(`**/calls/${recorded}`);
    const facts = page.getByTestId('call-facts');
    await expect.poll(() => facts.textContent()).toContain('operator 用户');
    expect(await facts.textContent()).toContain('12 秒');
    expect(await page.getByTestId('call-timeline').textContent()).toContain('接听');
    await expect.poll(() => page.getByTestId('call-audio-conversation').count()).toBe(1);
    // The call's facts, its course and its recording on one screen, at 1366×768 and 1920×1080.
    for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      for (const id of ['call-facts', 'call-timeline', 'call-audio-conversation']) {
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.y + box.height, `${id} at ${width}×${height}`).toBeLessThanOrEqual(height);
      }
      await screenshot(page, `23b-manager-call-page-${width}x${height}`);
    }
    await page.setViewportSize({ width: 1366, height: 860 });
    await page.goBack();
    await page.waitForURL(/\/kpi\?from=/);
    await closeDrawers(page);

    // Per operator: the operator owns both tickets; "due 2" opens them, a ticket opens its trail.
    const table = page.getByTestId('kpi-breakdown');
    await expect.poll(() => table.textContent()).toContain('operator 用户');
    await table.getByRole('button', { name: 'operator 用户 应办工单 2' }).click();
    await expect.poll(() => drawer.textContent()).toContain(ticketNumbers.completed);
    expect(await drawer.textContent()).toContain(ticketNumbers.overdue);
    await drawer.getByRole('button', { name: new RegExp(ticketNumbers.overdue) }).click();
    await expect.poll(() => page.getByText('处理记录').count()).toBe(1);
    await expect.poll(() => page.locator('.ant-timeline-item').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, '24-manager-kpi-ticket-trail');
    await closeDrawers(page);

    // Per department and per category, named from the directory and the categories.
    await page.getByRole('tab', { name: '按部门' }).click();
    await expect.poll(() => table.textContent()).toContain('执行局');
    expect(await table.textContent()).toContain('立案庭');
    await page.getByRole('tab', { name: '按类别' }).click();
    await expect.poll(() => table.textContent()).toContain('案件进度查询');
    expect(await table.textContent()).toContain('投诉');
    await screenshot(page, '25-manager-kpi-by-category');

    // Export: the API's CSV of the table on screen (per category).
    const download = page.waitForEvent('download');
    await page.getByTestId('kpi-export-csv').click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    // Headers in Chinese, categories by name, rates as percentages, one court total.
    expect(csv.split('\r\n')[0]).toMatch(/^\uFEFF时段,类别,接通率,/);
    expect(csv).toContain(',案件进度查询,');
    expect(csv).toContain(',投诉,');
    expect(csv).toContain('全院合计');
    expect(csv).not.toMatch(/,0\.\d+,/);

    // English on Alt+L: the same figures, labelled in English.
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByTestId('kpi-completion').textContent()).toContain('Completion rate');
    expect(await page.getByTestId('kpi-score').textContent()).toContain('0 / 6');
    await screenshot(page, '26-manager-kpi-en');
    await page.keyboard.press('Alt+L');

    // Weekly trend.
    const weekly = page.waitForResponse((r) => r.url().includes('/api/kpi/figures') && r.url().includes('grain=week'));
    await page.getByText('按周', { exact: true }).click();
    expect((await weekly).status()).toBe(200);
    await expect.poll(() => page.getByTestId('kpi-completion').textContent()).toContain('50.0%');
    await page.close();
  }, 90_000);

  it('an admin is alerted to calls that belong to no court; a rollup edited in the database shows as a disagreement, with the recount', async () => {
    const at = earlierToday(Date.now(), 0.5);
    const stray = randomUUID();
    await hotline.deps.db.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours, skill, queued_at)
      values (${stray}, null, ${'ch-' + stray}, '13700000000', '95000123', ${new Date(at).toISOString()}, 'abandoned_in_queue', 'caller', ${new Date(at + 30_000).toISOString()}, true, 'general', ${new Date(at + 2000).toISOString()})`);
    await hotline.deps.db.execute(sql`update kpi.rollup_daily set answered = answered + 30 where court_id = ${court.courtId} and key_set = 0`);
    await browser.clearCookies();
    const page = await browser.newPage();
    await signIn(page, hotline.url, court.users.admin.username, testPassword);
    await expect.poll(() => page.getByRole('button', { name: '退出登录' }).count()).toBe(1);
    await page.goto(`${hotline.url}/kpi`);
    await expect.poll(() => page.getByTestId('kpi-unassigned').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('kpi-unassigned').textContent()).toContain('95000123');
    expect(await page.getByTestId('kpi-unassigned').textContent()).toContain('未归属任何法院');
    await expect.poll(() => page.getByTestId('kpi-check-disagrees').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('kpi-check-disagrees').first().textContent()).toContain('重算');
    await screenshot(page, '27-admin-kpi-unassigned-and-disagreement');
    await page.close();
  }, 60_000);
});
