/**
 * The console end to end (issue 8, "Done when"): a whole hotline (api, telephony, workers) over the ARI
 * stand-in, real PostgreSQL and Redis, driven in Chromium. An operator signs in and goes ready; a simulated
 * caller is put through; the screen pop shows the caller's history; the operator files the work order and
 * hands it to a judge; the judge signs in, accepts and replies; the operator relays the reply and records the
 * return visit; the manager's figures change. Screenshots of each page go to test-artifacts/console/e2e-*.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { credentials } from '../../api/auth/auth.sql.ts';
import { hashPassword } from '../../api/auth/passwords.ts';
import { testPassword } from '../../api/testing/fixtures.ts';
import { syncIncremental } from '../../kpi/sync.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { useTelephonyOverSim } from '../../telephony/test/over-sim.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, openDialog, screenshot, signIn, useBrowser, watchPage } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console end-to-end test skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const t = enabled ? await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' } }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

const callerNumber = '13811112222';

describe.skipIf(!enabled)('the console end to end over the ARI stand-in', () => {
  const people = { operator: '', judge: '', manager: '' };
  const usernames = { operator: '', judge: 'e2e-judge', manager: 'e2e-manager' };
  let departmentId = '';
  let earlierTicket = '';

  beforeAll(async () => {
    const db = t.hotline.deps.db;
    people.operator = await t.addOperator('op7001', { ready: false });
    const [department] = await db.insert(departments).values({ courtId: t.courtId, name: '立案庭', extension: '8001' }).returning();
    departmentId = department!.id;
    const created = await db
      .insert(users)
      .values([
        { courtId: t.courtId, username: usernames.judge, displayName: '张法官', role: 'judge', departmentId, extension: '8101' },
        { courtId: t.courtId, username: usernames.manager, displayName: '李主任', role: 'manager' },
      ])
      .returning();
    people.judge = created[0]!.id;
    people.manager = created[1]!.id;
    const [operatorRow] = await db.select().from(users).where(eq(users.id, people.operator));
    usernames.operator = operatorRow!.username;
    const passwordHash = await hashPassword(testPassword);
    await db.insert(credentials).values(Object.values(people).map((userId) => ({ userId, passwordHash })));
    // The caller called before: a ticket from last time, which the screen pop must show.
    const operator: Actor = { userId: people.operator, role: 'operator', courtId: t.courtId, departmentId: null };
    const tickets = t.hotline.deps.services.tickets!;
    const earlier = await tickets.create(operator, { callerNumber, category: 'enquiry', summary: '上次来电：咨询立案材料', details: '' });
    await tickets.answerOnSpot(operator, earlier.id, { answer: '已告知立案所需材料' });
    earlierTicket = earlier.number;
  }, 60_000);

  async function as(who: keyof typeof people, landing: string): Promise<Page> {
    await browser.clearCookies();
    const page = await browser.newPage();
    await signIn(page, t.url, who === 'operator' ? usernames.operator : usernames[who], testPassword);
    await page.waitForURL(`**${landing}`);
    return page;
  }

  /** The manager's KPI page for today: offered and answered calls as the page shows them. */
  async function managerFigures(shot: string): Promise<{ offered: string; answered: string }> {
    await syncIncremental(t.hotline.deps.db);
    const page = await as('manager', '/dashboard');
    await screenshot(page, `${shot}-wallboard`);
    // From the menu (its Alt+number moves as pages are added); today reads by the hour.
    await page.getByRole('menuitem', { name: /绩效指标/ }).click();
    await page.waitForURL('**/kpi');
    await page.getByPlaceholder('开始日期').click();
    const loaded = page.waitForResponse((r) => r.url().includes('/api/kpi/figures') && r.url().includes('grain=hour'));
    await page.getByText('今天', { exact: true }).click();
    await loaded;
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('kpi-count-offered').isVisible()).toBe(true);
    await screenshot(page, `${shot}-kpi`);
    const figures = { offered: (await page.getByTestId('kpi-count-offered').textContent())!, answered: (await page.getByTestId('kpi-count-answered').textContent())! };
    await page.close();
    return figures;
  }

  it('operator, judge and manager work one call from the ring to the return visit', async () => {
    const before = await managerFigures('e2e-01-manager-before');

    // The operator signs in and goes ready (Alt+R); the server's state is shown.
    const desk = await as('operator', '/desk');
    await expect.poll(() => desk.getByTestId('presence-state').textContent()).toBe('离线');
    await desk.keyboard.press('Alt+R');
    await expect.poll(() => desk.getByTestId('presence-state').textContent()).toBe('空闲');
    await screenshot(desk, 'e2e-02-operator-ready');

    // A caller dials 12368, chooses the operator (0), and is put through to op7001's softphone.
    t.sim.endpoint('op7001').answerAfter(100);
    const caller = await t.sim.placeCall({ from: callerNumber });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('0');

    // The screen pop: the caller's number, their earlier ticket, the form filled.
    await expect.poll(() => desk.getByTestId('screen-pop').textContent(), { timeout: 15_000 }).toContain(callerNumber);
    await expect.poll(() => desk.getByTestId('caller-history').textContent()).toContain(earlierTicket);
    await expect.poll(() => desk.getByLabel('来电号码', { exact: true }).inputValue()).toBe(callerNumber);
    await expect.poll(() => desk.getByTestId('presence-state').textContent()).toBe('通话中');
    await screenshot(desk, 'e2e-03-operator-screen-pop');

    // The work order, handed off to the judge (Ctrl+Enter submits).
    await desk.getByLabel('类别').click();
    await desk.getByTitle('案件进度查询').click();
    await desk.getByLabel('案号').fill('(2025)豫0811民初88号');
    await desk.getByLabel('来电事由（摘要）').fill('询问开庭时间');
    await desk.getByLabel('详细情况').fill('当事人询问案件何时开庭，希望承办法官答复');
    await desk.getByTestId('handoff-judge').click();
    await desk.getByTitle(/张法官 · 立案庭/).click();
    await screenshot(desk, 'e2e-04-operator-work-order');
    await desk.keyboard.press('Control+Enter');
    await expect.poll(() => desk.getByText(/已交办/).count()).toBeGreaterThan(0);
    const { rows } = await t.pgc.query(`select t.id, t.number, t.stage, t.handler_user_id, t.owner_id, t.case_number from tickets.tickets t where t.caller_number = $1 and t.summary = '询问开庭时间'`, [callerNumber]);
    expect(rows).toHaveLength(1);
    const ticket = rows[0] as { id: string; number: string; stage: string; handler_user_id: string; owner_id: string; case_number: string };
    expect(ticket).toMatchObject({ stage: 'handoff', handler_user_id: people.judge, owner_id: people.operator, case_number: '（2025）豫0811民初88号' });
    caller.hangup();
    await t.closedCall(caller.channelId);
    await desk.close();

    // The judge signs in, sees it in the inbox, accepts and replies.
    const inbox = await as('judge', '/inbox');
    await inbox.getByRole('cell', { name: ticket.number }).click();
    await inbox.getByRole('button', { name: /签\s?收/ }).click();
    await inbox.getByLabel('答复内容').fill('已定于下周三上午九点在第三法庭开庭，传票已寄出。');
    await screenshot(inbox, 'e2e-05-judge-inbox');
    await inbox.getByRole('button', { name: /^答\s?复$/ }).click();
    await expect.poll(async () => (await t.pgc.query(`select stage from tickets.tickets where id = $1`, [ticket.id])).rows[0].stage).toBe('feedback');
    await inbox.close();

    // The operator relays the reply by phone and records the return visit, from my queue.
    const queue = await as('operator', '/desk');
    // A CI run once saw the ticket left in 回访 after 保存: a failure here carries what the page asked and was told.
    const watched = watchPage(queue);
    const item = queue.getByTestId(`queue-${ticket.number}`);
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toContain('待转告');
    await item.getByRole('button', { name: '转告答复' }).click();
    await expect.poll(() => queue.getByTestId('relay-reply').textContent()).toContain('第三法庭');
    await screenshot(queue, 'e2e-06-operator-relay');
    // The relay call: the operator's softphone, then the caller, bridged; the caller hangs up once told, and the
    // recorded call moves the ticket to the return visit.
    t.sim.endpoint('op7001').answerAfter(100);
    t.sim.endpoint('trunk').register().answerAfter(100);
    await queue.getByTestId('relay-call').click();
    await expect.poll(() => t.sim.bridges().find((b) => b.id.startsWith('ob-'))?.channels.length ?? 0, { timeout: 15_000 }).toBe(2);
    t.sim.endpoint('trunk').hangup();
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toContain('待回访');
    await item.getByRole('button', { name: /^回\s?访$/ }).click();
    const visit = await openDialog(queue);
    await visit.getByText('是', { exact: true }).click();
    await visit.getByText('基本满意', { exact: true }).click();
    await screenshot(queue, 'e2e-07-operator-return-visit');
    await watched.explain(async () => {
      await visit.getByRole('button', { name: /保\s?存/ }).click();
      await expect
        .poll(async () => (await t.pgc.query(`select stage, satisfaction, callback_resolved, delivery_channel from tickets.tickets where id = $1`, [ticket.id])).rows[0])
        .toEqual({ stage: 'closed', satisfaction: 'basically_satisfied', callback_resolved: true, delivery_channel: 'phone' });
    });
    await expect.poll(() => item.count()).toBe(0);
    await queue.close();

    // The manager's figures now count the call: one more offered and answered today.
    const after = await managerFigures('e2e-08-manager-after');
    expect(Number(after.offered)).toBe(Number(before.offered) + 1);
    expect(Number(after.answered)).toBe(Number(before.answered) + 1);
  }, 180_000);

  it('the wallboard shows a caller waiting, the longest wait growing and the paused operator, live', async () => {
    await t.rt.service.setPresence(people.operator, 'paused', 'meeting');
    const board = await as('manager', '/dashboard');
    await expect.poll(() => board.getByTestId('wallboard-state-paused').textContent()).toContain('1');
    expect(await board.getByTestId('wallboard-waiting').textContent()).toContain('0');

    const caller = await t.sim.placeCall({ from: '13955556666' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('0');
    await expect.poll(() => board.getByTestId('wallboard-waiting').textContent(), { timeout: 10_000 }).toContain('1');
    const seconds = async () => {
      const [mm, ss] = ((await board.getByTestId('wallboard-longest').textContent()) ?? '').replace(/[^0-9:]/g, '').split(':').map(Number);
      return (mm ?? 0) * 60 + (ss ?? 0);
    };
    await expect.poll(seconds, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await screenshot(board, 'e2e-09-manager-wallboard-waiting');

    caller.hangup();
    await t.closedCall(caller.channelId);
    await expect.poll(() => board.getByTestId('wallboard-waiting').textContent(), { timeout: 10_000 }).toContain('0');
    await board.close();
  }, 60_000);
});
