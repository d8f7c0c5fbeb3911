/**
 * The relay dialog in Chromium on a hotline with no SMS gateway (the default): SMS is not offered, the operator
 * is told why (in Chinese first), and relaying by phone still works: through the relay call, recorded from it.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedCourt, testPassword, useApi } from '../../api/testing/fixtures.ts';
import type { Actor } from '../../platform/user-roles.ts';
import '../../telephony/plugin.ts';
import { reportRelay } from '../../telephony/outbound/relay-report.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, openDialog, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console relay without SMS test skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

describe.skipIf(!enabled)('relay with no SMS gateway', () => {
  it('offers phone only, says SMS is not configured, and the phone relay goes through', async () => {
    const court = await seedCourt(hotline.deps.db);
    const actor = (key: 'operator' | 'judge'): Actor => ({ userId: court.users[key].id, role: court.users[key].role, courtId: court.courtId, departmentId: court.users[key].departmentId });
    const tickets = hotline.deps.services.tickets!;
    await hotline.deps.db.execute(sql`update platform.users set sip_endpoint = 'op8802' where id = ${court.users.operator.id}`);
    const ticket = await tickets.create(actor('operator'), { callerNumber: '13800003333', category: 'case_progress', summary: '询问开庭时间', details: '' });
    await tickets.handOff(actor('operator'), ticket.id, { handlerUserId: court.users.judge.id });
    await tickets.reply(actor('judge'), ticket.id, { text: '3月5日开庭' });

    const page = await browser.newPage();
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await expect.poll(() => page.getByTestId('my-queue').textContent()).toContain(ticket.number);
    await page.getByTestId(`queue-${ticket.number}`).getByRole('button', { name: '转告答复' }).click();
    const dialog = await openDialog(page);
    await expect.poll(() => dialog.getByTestId('sms-unavailable').textContent()).toBe('未配置短信网关，只能电话转告。');
    expect(await dialog.getByRole('radio', { name: '电话' }).count()).toBe(1);
    expect(await dialog.getByRole('radio', { name: '短信' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: '发送短信' }).count()).toBe(0);

    // By phone the system places the relay call (no controller runs here: the request waits, under way).
    expect(await dialog.getByTestId('relay-phone-hint').textContent()).toContain('通话记录自动登记');
    await dialog.getByTestId('relay-call').click();
    await expect.poll(() => page.getByTestId(`queue-${ticket.number}`).getByTestId('relay-under-way').textContent(), { timeout: 15_000 }).toBe('电话转告进行中');
    // The call is filed with telephony, then connects (as the controller records it) and its result is reported:
    // the delivery is recorded.
    const filed = async () => (await hotline.deps.db.execute<{ id: string }>(sql`select id from telephony.outbound_requests where ticket_id = ${ticket.id}`)).rows;
    await expect.poll(async () => (await filed()).length, { timeout: 15_000 }).toBe(1);
    const [request] = (await hotline.deps.db.execute<{ id: string }>(sql`update telephony.outbound_requests set status = 'completed', result = 'connected', finished_at = now(), updated_at = now() where ticket_id = ${ticket.id} returning id`)).rows;
    await reportRelay(hotline.deps.db, tickets, { outboundId: request!.id }, hotline.deps.logger);
    expect(await tickets.get(actor('operator'), ticket.id)).toMatchObject({ stage: 'callback', deliveryChannel: 'phone' });
    await page.close();
  }, 60_000);
});
