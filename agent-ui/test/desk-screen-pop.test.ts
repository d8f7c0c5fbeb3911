import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { seedCourt, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { insertCall } from '../../kpi/testing/traffic.ts';
import type { Actor } from '../../platform/user-roles.ts';
import '../../telephony/plugin.ts';
import { publishEvent as publishAnyEvent } from '../../api/realtime/event-catalogue.ts';
import { publishEvent } from '../../telephony/realtime-events.ts';
import { buildConsole } from '../build.ts';
import { answerApiError, browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console desk screen-pop browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

const caller = '13812345678';

/** Each element's bottom edge is inside the window: on screen without scrolling. */
async function expectOnScreen(page: Page, testIds: string[], height: number) {
  for (const id of testIds) {
    const box = (await page.getByTestId(id).first().boundingBox())!;
    expect(box, id).not.toBeNull();
    expect(box.y + box.height, `${id} bottom at ${height}px high`).toBeLessThanOrEqual(height);
  }
  expect(await page.evaluate('document.scrollingElement.scrollTop')).toBe(0);
}

/**
 * The desk on one screen with whatever notices it shows: the document does not scroll, and the form's submit and
 * the softphone's answer and hang-up buttons are inside the window.
 */
async function expectDeskFits(page: Page, height: number, label: string) {
  const scroll = (await page.evaluate('({ scroll: document.scrollingElement.scrollHeight, window: window.innerHeight })')) as { scroll: number; window: number };
  expect(scroll.scroll, `${label}: the page is ${scroll.scroll}px high in a ${scroll.window}px window`).toBeLessThanOrEqual(scroll.window);
  const softphone = page.getByTestId('softphone');
  const controls = { submit: page.getByTestId('ticket-submit'), answer: softphone.getByRole('button', { name: /Alt\+A/ }), hangUp: softphone.getByRole('button', { name: /Alt\+H/ }) };
  for (const [name, control] of Object.entries(controls)) {
    const box = (await control.boundingBox())!;
    expect(box, `${label}: ${name}`).not.toBeNull();
    expect(box.y, `${label}: ${name} top`).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, `${label}: ${name} bottom at ${height}px high`).toBeLessThanOrEqual(height);
  }
}

describe.skipIf(!enabled)('operator: the desk’s screen pop and the form during a call, in Chromium', () => {
  let court: SeededCourt;
  let pastTicket: { id: string; number: string };
  const actor = (key: keyof SeededCourt['users']): Actor => ({ userId: court.users[key].id, role: court.users[key].role, courtId: court.courtId, departmentId: court.users[key].departmentId });

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    // Yesterday the caller called and a ticket was filed.
    const yesterday = Date.now() - 86_400_000;
    const pastCall = randomUUID();
    await insertCall(hotline.deps.db, court.courtId, { id: pastCall, arrivedAt: yesterday, inHours: true, queuedAt: yesterday + 2000, answeredAt: yesterday + 9000, endedAt: yesterday + 120_000, outcome: 'answered', operatorId: court.users.operator.id });
    await hotline.deps.db.execute(sql`update telephony.calls set caller_number = ${caller} where id = ${pastCall}`);
    pastTicket = await hotline.deps.services.tickets!.create(actor('operator'), { callerNumber: caller, category: 'case_progress', summary: '询问开庭时间', details: '' });
  });

  /** A call answered by the operator 18 s ago after 12 s in the queue, the caller having pressed 3 (complaints): its record and screen pop. */
  async function answerCall(): Promise<{ callId: string; draftId: string }> {
    const callId = randomUUID();
    const now = Date.now();
    const arrived = now - 40_000;
    await hotline.deps.db.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, in_hours, skill, queued_at, answered_at, answered_by)
      values (${callId}, ${court.courtId}, ${'ch-' + callId}, ${caller}, '12368', ${new Date(arrived).toISOString()}, true, 'complaint', ${new Date(now - 30_000).toISOString()}, ${new Date(now - 18_000).toISOString()}, ${court.users.operator.id})`);
    await hotline.deps.db.execute(sql`insert into telephony.call_events (id, call_id, court_id, at, seq, kind, operator_id, data)
      values (${randomUUID()}, ${callId}, ${court.courtId}, ${new Date(now - 31_000).toISOString()}, 2, 'menu_choice', null, '{"digit":"3","option":"complaint"}'::jsonb)`);
    const draft = await hotline.deps.services.tickets!.createFromCall({ courtId: court.courtId, callId, operatorId: court.users.operator.id, callerNumber: caller });
    const history = [{ callId, arrivedAt: new Date(arrived).toISOString(), outcome: null, skill: 'complaint', answeredBy: court.users.operator.id }];
    await publishEvent(hotline.deps.events, { type: 'call.screen_pop', courtId: court.courtId, audience: { userIds: [court.users.operator.id] }, data: { callId, operatorId: court.users.operator.id, callerNumber: caller, history, draftTicketId: draft.id } });
    return { callId, draftId: draft.id };
  }

  it('the pop shows the menu choice (and preselects the category), the wait, a running timer and the caller’s past calls and tickets, not this call’s draft; the caller number stays after submit while the call is up; all on one 1366×768 screen', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await expect.poll(() => page.getByTestId('presence').count()).toBe(1);
    await expect.poll(() => page.getByText('实时连接正常').count(), { timeout: 10_000 }).toBe(1);

    const { callId, draftId } = await answerCall();
    const pop = page.getByTestId('screen-pop');
    await expect.poll(() => pop.textContent(), { timeout: 10_000 }).toContain(caller);
    await expect.poll(() => page.getByTestId('screen-pop-menu').textContent(), { timeout: 10_000 }).toContain('投诉建议');
    expect(await page.getByTestId('screen-pop-wait').textContent()).toContain('12 秒');
    const timer = async () => (await page.getByTestId('screen-pop-timer').textContent())!.replace(/\D/g, '');
    const first = await timer();
    expect(Number(first)).toBeGreaterThanOrEqual(18);
    await expect.poll(timer, { timeout: 5000 }).not.toBe(first);
    // The menu choice preselects the category: complaints.
    await expect.poll(() => page.getByTestId('ticket-category').textContent()).toContain('投诉');
    // History: yesterday's call and ticket; not this call, not its draft.
    const history = page.getByTestId('caller-history');
    await expect.poll(() => history.textContent()).toContain(pastTicket.number);
    const draft = await hotline.deps.services.tickets!.get(actor('operator'), draftId);
    expect(await history.textContent()).not.toContain(draft.number);
    expect(await page.getByTestId('caller-past-calls').locator('div').count()).toBe(1);

    // The day's work on one screen: presence, the pop, the form's submit button, my queue, and the transfer panel.
    await expectOnScreen(page, ['presence', 'screen-pop', 'ticket-submit', 'my-queue', 'transfer-panel'], 768);
    await screenshot(page, '40-operator-desk-screen-pop-1366x768');

    // File the call's ticket (the draft is filled in), handed to the judge; the caller number stays while the call is up.
    await page.getByLabel('来电事由（摘要）').fill('投诉立案窗口态度');
    await page.getByTestId('handoff-judge').click();
    await page.getByTitle(/judge 用户/).first().click();
    await page.getByTestId('ticket-submit').click();
    await expect.poll(() => page.getByText(`工单 ${draft.number} 已登记`).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByLabel('来电号码', { exact: true }).inputValue()).toBe(caller);
    expect(await page.getByLabel('来电事由（摘要）').inputValue()).toBe('');
    const filed = await hotline.deps.services.tickets!.get(actor('operator'), draftId);
    expect(filed).toMatchObject({ stage: 'handoff', category: 'complaint', summary: '投诉立案窗口态度', handlerUserId: court.users.judge.id });
    // Still not listed as history: it is this call's ticket.
    await page.waitForTimeout(500);
    expect(await history.textContent()).not.toContain(draft.number);

    // The call ends: the timer stops and says so.
    await publishEvent(hotline.deps.events, { type: 'call.ended', courtId: court.courtId, audience: { userIds: [court.users.operator.id] }, data: { callId, outcome: 'answered', hangupBy: 'caller', endedAt: new Date().toISOString() } });
    await expect.poll(() => page.getByTestId('screen-pop-timer').textContent()).toContain('通话已结束');
    const stopped = await timer();
    await page.waitForTimeout(1500);
    expect(await timer()).toBe(stopped);

    // 1920×1080: the same, with room to spare.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expectOnScreen(page, ['presence', 'screen-pop', 'ticket-submit', 'my-queue', 'caller-history'], 1080);
    await screenshot(page, '41-operator-desk-1920x1080');
    await page.close();
  }, 90_000);

  it('an answer that never became a conversation (Asterisk refused the bridge): the desk says the caller is back in the queue, and the pop stops', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await expect.poll(() => page.getByText('实时连接正常').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('presence').count()).toBe(1);
    const { callId } = await answerCall();
    await expect.poll(() => page.getByTestId('screen-pop').textContent(), { timeout: 10_000 }).toContain(caller);
    await publishEvent(hotline.deps.events, { type: 'call.not_connected', courtId: court.courtId, audience: { userIds: [court.users.operator.id] }, data: { callId, operatorId: court.users.operator.id } });
    await expect.poll(() => page.getByText('通话未能接通，来电人已重新排队').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('screen-pop').textContent()).toContain('未能接通');
    const timer = () => page.getByTestId('screen-pop-timer').textContent();
    const stopped = await timer();
    await page.waitForTimeout(1500);
    expect(await timer()).toBe(stopped);
    await page.close();
  });

  it('notices on the desk — a supervisor listening, the phone system unreachable, no softphone endpoint, a step of the form that failed — leave it on one 1366×768 screen, in Chinese and English', async () => {
    await browser.clearCookies();
    const page = await browser.newPage();
    // Closed even when a step fails: its routes and socket must not live on through the rest of the file.
    onTestFinished(() => page.close());
    await page.setViewportSize({ width: 1366, height: 768 });
    // Presence cannot be reached: the presence card says so (话务系统暂时无法连接…).
    await page.route('**/api/presence/me', (route) => answerApiError(route, 404, { code: 'not_found', message: 'Not found', message_zh: '未找到' }));
    // No softphone endpoint given yet: the softphone says so (管理员尚未为您分配软电话分机) in place of the SIP password.
    await page.route('**/api/console/softphone', async (route) => route.fulfill({ json: { ...(await (await route.fetch()).json()), endpoint: null } }));
    // My queue cannot be read: it says so, rather than "nothing to relay or follow up".
    await page.route('**/api/console/my-queue', (route) => answerApiError(route, 503));
    // The transfer directory cannot be read: the picker says so, and a number can still be typed.
    let directoryAsked = 0;
    await page.route('**/api/telephony/transfer-directory', (route) => {
      directoryAsked++;
      return answerApiError(route, 503);
    });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await expect.poll(() => page.getByTestId('my-queue-unread').textContent(), { timeout: 10_000 }).toBe('我的待办暂时无法读取');
    await expect.poll(() => page.getByTestId('transfer-panel').textContent(), { timeout: 10_000 }).toContain('转接目录暂时无法读取，可输入号码');
    expect(await page.getByTestId('transfer-number').isEditable()).toBe(true);
    expect(await page.getByTestId('my-queue').textContent()).not.toContain('没有待转告或待回访的工单');
    await expect.poll(() => page.getByText('话务系统暂时无法连接', { exact: false }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByText('管理员尚未为您分配软电话分机').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByText('实时连接正常').count(), { timeout: 10_000 }).toBe(1);
    const { callId } = await answerCall();
    await expect.poll(() => page.getByTestId('screen-pop').textContent(), { timeout: 10_000 }).toContain(caller);
    // A call came: the directory is asked again (still unavailable here).
    await expect.poll(() => directoryAsked).toBeGreaterThanOrEqual(2);
    // A supervisor whispers (the longest of the three notices), the court showing it to the operator.
    const supervision = (status: 'started' | 'stopped') =>
      publishEvent(hotline.deps.events, { type: 'call.supervision', courtId: court.courtId, audience: { userIds: [court.users.operator.id] }, data: { callId, supervisorId: court.users.manager.id, operatorId: court.users.operator.id, mode: 'whisper', status, at: new Date().toISOString() } });
    await supervision('started');
    await expect.poll(() => page.getByTestId('supervision-notice').textContent(), { timeout: 10_000 }).toContain('负责人正在对您耳语');
    await expectDeskFits(page, 768, 'supervision, zh');
    await screenshot(page, '42-operator-desk-notices-1366x768');

    // The hand-off fails after the ticket is saved: the form says so above its fields.
    await page.route('**/api/tickets/*/handoff', (route) => answerApiError(route, 503, { code: 'unavailable', message: 'The service is unavailable for a moment; try again shortly.', message_zh: '服务暂时不可用，请稍后重试' }));
    await page.getByLabel('来电事由（摘要）').fill('询问执行进度');
    await page.getByTestId('handoff-judge').click();
    await page.getByTitle(/judge 用户/).first().click();
    await page.getByTestId('ticket-submit').click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '服务暂时不可用' }).count(), { timeout: 10_000 }).toBe(1);
    await expectDeskFits(page, 768, 'supervision, presence and the form’s error, zh');
    await screenshot(page, '43-operator-desk-all-notices-1366x768');

    // English words are longer.
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByTestId('supervision-notice').textContent()).toContain('whispering');
    await expectDeskFits(page, 768, 'supervision, presence and the form’s error, en');
    await screenshot(page, '44-operator-desk-all-notices-en-1366x768');
    await page.keyboard.press('Alt+L');
    await supervision('stopped');
    await expect.poll(() => page.getByTestId('supervision-notice').count()).toBe(0);
    // My queue answers again: the next reload (here on a reply coming in) clears the warning.
    await page.unroute('**/api/console/my-queue');
    const replied = () =>
      publishAnyEvent(hotline.deps.events, { type: 'ticket.replied', courtId: court.courtId, audience: { userIds: [court.users.operator.id] }, data: { ticketId: pastTicket.id, number: pastTicket.number, repliedBy: court.users.judge.id } });
    await replied();
    await expect.poll(() => page.getByTestId('my-queue-unread').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByTestId('my-queue').textContent()).toContain('没有待转告或待回访的工单');
    // Read once, then not: the card says its list is from then.
    await page.route('**/api/console/my-queue', (route) => answerApiError(route, 503));
    await replied();
    await expect.poll(() => page.getByTestId('my-queue-stale').textContent(), { timeout: 10_000 }).toMatch(/^未能刷新（显示 \d\d:\d\d 的）$/);
    await expectDeskFits(page, 768, 'my queue not refreshed, zh');
  }, 120_000);
});
