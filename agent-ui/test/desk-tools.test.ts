import { eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeEntries } from '../../api/knowledge/knowledge.sql.ts';
import { KnowledgeService } from '../../api/knowledge/knowledge.service.ts';
import { seedEntries } from '../../api/knowledge/seed-entries.ts';
import { seedCourt, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import type { Actor } from '../../platform/user-roles.ts';
import '../../telephony/plugin.ts';
import { reportRelay } from '../../telephony/outbound/relay-report.ts';
import { postReceipt, testHttpsGateway } from '../../tickets/testing/https-gateway.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, openDialog, screenshot, signIn, useBrowser, watchPage } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console desk-tools browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
// Workers run the tickets' outbox and feedback queue: notices reach the console, SMS relays are sent through a
// real HTTPS SMS gateway started here (tickets/testing/https-gateway.ts), whose receipt the test posts.
const smsSecret = 'shared-secret-for-the-console-test';
const gateway = enabled ? await testHttpsGateway(smsSecret) : (undefined as never);
const hotline = enabled
  ? await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000', SMS_GATEWAY: 'https', SMS_HTTPS_URL: gateway.url, SMS_HTTPS_SECRET: smsSecret, SMS_HTTPS_CA_FILE: gateway.caFile })
  : (undefined as never);
if (enabled) afterAll(() => gateway.close());
const browser = enabled ? await useBrowser() : (undefined as never);

describe.skipIf(!enabled)('knowledge base and my queue in Chromium', () => {
  let court: SeededCourt;
  const actor = (key: keyof SeededCourt['users']): Actor => ({ userId: court.users[key].id, role: court.users[key].role, courtId: court.courtId, departmentId: court.users[key].departmentId });
  const tickets = () => hotline.deps.services.tickets!;

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    await new KnowledgeService(hotline.deps.db).importEntries(court.courtId, null, seedEntries);
  });

  async function freshPage(): Promise<Page> {
    await browser.clearCookies();
    return browser.newPage();
  }

  /** A ticket the operator filed and handed to the judge, who has replied: waiting for the operator to relay. */
  async function replied(summary: string, callerNumber: string) {
    const ticket = await tickets().create(actor('operator'), { callerNumber, category: 'case_progress', summary, details: '' });
    await tickets().handOff(actor('operator'), ticket.id, { handlerUserId: court.users.judge.id });
    await tickets().reply(actor('judge'), ticket.id, { text: `关于“${summary}”：已安排，请耐心等待通知。` });
    return ticket;
  }

  it('manager: keeps the knowledge base — finds, adds with keywords, deactivates', async () => {
    const page = await freshPage();
    await signIn(page, hotline.url, court.users.manager.username, testPassword);
    await page.waitForURL('**/dashboard');
    // From the menu (its Alt+number depends on which pages the build holds).
    await page.getByRole('menuitem', { name: /知识库/ }).click();
    await page.waitForURL('**/knowledge');
    await expect.poll(() => page.getByRole('row').count()).toBe(seedEntries.length + 1);
    await page.getByLabel('筛选问题或答复').fill('阅卷');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await page.getByLabel('筛选问题或答复').fill('');

    await page.keyboard.press('Alt+N');
    const dialog = await openDialog(page);
    await dialog.getByLabel('问题').fill('法院几点上班？');
    await dialog.getByLabel('答复口径').fill('工作日上午8:30至12:00，下午2:30至5:30。');
    const keywords = dialog.getByLabel('关键词');
    await keywords.fill('上班时间');
    await keywords.press('Enter');
    await keywords.fill('办公时间');
    await keywords.press('Enter');
    await screenshot(page, '30-knowledge-new-entry');
    await dialog.getByRole('button', { name: /保\s?存/ }).click();
    await expect.poll(() => page.getByRole('cell', { name: '法院几点上班？' }).count()).toBe(1);
    const [saved] = await hotline.deps.db.select().from(knowledgeEntries).where(eq(knowledgeEntries.question, '法院几点上班？'));
    expect(saved).toMatchObject({ courtId: court.courtId, category: 'enquiry', keywords: ['上班时间', '办公时间'], active: true, updatedBy: court.users.manager.id });

    await page.getByRole('row', { name: /法院几点上班/ }).getByRole('button', { name: /编\s?辑/ }).click();
    const entry = await openDialog(page);
    await entry.getByRole('switch').click();
    await entry.getByRole('button', { name: /保\s?存/ }).click();
    await expect.poll(async () => (await hotline.deps.db.select().from(knowledgeEntries).where(eq(knowledgeEntries.id, saved!.id)))[0]?.active).toBe(false);
    await screenshot(page, '31-knowledge-admin');
    await page.close();
  });

  it('operator: Alt+K searches the knowledge base during a call and puts the answer into the work order', async () => {
    const page = await freshPage();
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await page.getByLabel('来电事由（摘要）').click();
    await page.keyboard.press('Alt+K');
    await expect.poll(() => page.getByLabel('知识库（Alt+K）').evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('怎么预约阅卷');
    const panel = page.getByTestId('knowledge-panel');
    await expect.poll(() => panel.locator('.ant-list-item').first().textContent()).toContain('可以电话预约阅卷吗');
    // The deactivated entry is not offered.
    await page.getByLabel('知识库（Alt+K）').fill('办公时间');
    await expect.poll(() => panel.textContent()).toContain('没有找到相关答案');
    await page.getByLabel('知识库（Alt+K）').fill('诉讼费能不能减免');
    await expect.poll(() => panel.locator('.ant-list-item').first().textContent()).toContain('缓交、减交或免交');
    await panel.locator('.ant-list-item').first().getByRole('button', { name: '填入答复' }).click();
    await expect.poll(() => page.getByLabel('答复内容').inputValue()).toContain('2日内报庭长审核');
    expect(await page.getByRole('radio', { name: '当场答复' }).isChecked()).toBe(true);
    await screenshot(page, '32-operator-knowledge-panel');
    await page.close();
  });

  it('operator: my queue lists replies to relay and return visits; calls back, relays by phone and by SMS, records the visit', async () => {
    const byPhone = await replied('询问开庭时间', '13800001111');
    const page = await freshPage();
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    const queue = page.getByTestId('my-queue');
    await expect.poll(() => queue.textContent()).toContain(byPhone.number);
    // A reply arriving while the desk is open shows up without a reload (ticket.replied through the workers).
    const bySms = await replied('询问执行款', '13800002222');
    await expect.poll(() => queue.textContent(), { timeout: 15_000 }).toContain(bySms.number);
    // With items in my queue the desk still fits 1366×768: the queue (scrolling inside its card) and the form's submit.
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const id of ['presence', 'my-queue', 'ticket-submit']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.y + box.height, id).toBeLessThanOrEqual(768);
    }
    await screenshot(page, '33a-operator-my-queue-1366x768');
    await page.setViewportSize({ width: 1366, height: 860 });

    // One click asks telephony to call the caller back about this reply (its softphone first, then the caller).
    await hotline.deps.db.execute(sql`update platform.users set sip_endpoint = 'op8801' where id = ${court.users.operator.id}`);
    await page.getByTestId(`queue-${byPhone.number}`).getByTestId('callback-button').click();
    await expect.poll(() => page.getByText('正在回拨').count()).toBeGreaterThan(0);
    const requests = async () => (await hotline.deps.db.execute(sql`select purpose, mode, ticket_id, requested_by from telephony.outbound_requests`)).rows;
    await expect.poll(requests).toEqual([{ purpose: 'relay', mode: 'operator', ticket_id: byPhone.id, requested_by: court.users.operator.id }]);
    await screenshot(page, '33-operator-my-queue');

    // Relay by phone: the reply is shown with the full number to call; there is no "caller told" button: the relay
    // call's record decides. Asked for again while the first call is still under way, the relay fails and says why.
    await page.getByTestId(`queue-${byPhone.number}`).getByRole('button', { name: '转告答复' }).click();
    await expect.poll(() => page.getByTestId('relay-reply').textContent()).toContain('询问开庭时间');
    expect(await page.getByRole('dialog').textContent()).toContain('13800001111');
    expect(await page.getByRole('button', { name: '已告知来电人' }).count()).toBe(0);
    await screenshot(page, '34-operator-relay');
    await page.getByTestId('relay-call').click();
    await expect.poll(() => page.getByTestId(`queue-${byPhone.number}`).getByTestId('last-relay-failed').textContent(), { timeout: 15_000 }).toContain('该回拨正在进行');
    expect((await tickets().get(actor('operator'), byPhone.id)).stage).toBe('feedback');
    // The first call connects the caller to the operator (as the controller records it, here without one) and its
    // result is reported: the delivery is recorded from the call, and the queue follows (ticket.callback_due).
    const [callback] = (await hotline.deps.db.execute<{ id: string }>(sql`update telephony.outbound_requests set status = 'completed', result = 'connected', finished_at = now(), updated_at = now() where ticket_id = ${byPhone.id} returning id`)).rows;
    await reportRelay(hotline.deps.db, tickets(), { outboundId: callback!.id }, hotline.deps.logger);
    expect(await tickets().get(actor('operator'), byPhone.id)).toMatchObject({ stage: 'callback', deliveryChannel: 'phone' });
    await expect.poll(() => page.getByTestId(`queue-${byPhone.number}`).textContent(), { timeout: 15_000 }).toContain('待回访');

    // Relay by SMS: the feedback worker sends it through the gateway; only the gateway's delivered receipt moves
    // the ticket to the return visit, and the queue follows (ticket.callback_due).
    const relayBySms = async (nth: number) => {
      await page.getByTestId(`queue-${bySms.number}`).getByRole('button', { name: '转告答复' }).click();
      // The SMS channel appears once the server has said a gateway exists; until then no channel is called unavailable.
      await expect.poll(() => page.getByRole('dialog').getByText('短信').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('sms-unavailable').count()).toBe(0);
      await (await openDialog(page)).getByText('短信').click();
      await page.getByRole('button', { name: '发送短信' }).click();
      const relays = () => gateway.messages.filter((m) => m.to === '13800002222' && m.text.includes('答复如下'));
      await expect.poll(() => relays().length, { timeout: 15_000 }).toBe(nth);
      return relays()[nth - 1]!;
    };
    // The first SMS is not delivered (the gateway's receipt says so): the operator is told, the ticket stays to relay.
    const lost = await relayBySms(1);
    expect((await postReceipt(hotline.url, smsSecret, { messageId: lost.messageId, status: 'undeliverable' })).status).toBe(200);
    await expect.poll(() => page.getByText(`转告未送达（工单 ${bySms.number}）`).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId(`queue-${bySms.number}`).getByTestId('last-relay-failed').textContent(), { timeout: 15_000 }).toContain('短信转告未送达');
    expect((await tickets().get(actor('operator'), bySms.id)).stage).toBe('feedback');
    const sms = await relayBySms(2);
    expect((await tickets().get(actor('operator'), bySms.id)).stage).toBe('feedback');
    // (A receipt that beats the commit of the send is kept and applied when the send is recorded.)
    expect((await postReceipt(hotline.url, smsSecret, { messageId: sms.messageId, status: 'delivered' })).status).toBe(200);
    await expect.poll(async () => (await tickets().get(actor('operator'), bySms.id)).stage, { timeout: 15_000 }).toBe('callback');
    expect(await tickets().get(actor('operator'), bySms.id)).toMatchObject({ deliveryChannel: 'sms' });
    await expect.poll(() => page.getByTestId(`queue-${bySms.number}`).textContent(), { timeout: 15_000 }).toContain('待回访');

    // The return visit: resolved and satisfied closes the ticket and takes it off the queue. (A loaded run once saw
    // the ticket left in 回访 after 保存, as the end-to-end test did: a failure here says what the page was told.)
    const watched = watchPage(page);
    await page.getByTestId(`queue-${byPhone.number}`).getByRole('button', { name: /^回\s?访$/ }).click();
    const visit = await openDialog(page);
    await visit.getByText('是', { exact: true }).click();
    await visit.getByText('满意', { exact: true }).click();
    await visit.getByLabel('备注').fill('来电人表示已收到开庭通知');
    await screenshot(page, '35-operator-return-visit');
    await visit.getByRole('button', { name: /保\s?存/ }).click();
    await watched.explain(() => expect.poll(async () => (await tickets().get(actor('operator'), byPhone.id)).stage, { timeout: 15_000 }).toBe('closed'));
    expect(await tickets().get(actor('operator'), byPhone.id)).toMatchObject({ callbackResolved: true, satisfaction: 'satisfied' });
    await expect.poll(() => page.getByTestId(`queue-${byPhone.number}`).count()).toBe(0);
    await page.close();
  }, 90_000);
});
