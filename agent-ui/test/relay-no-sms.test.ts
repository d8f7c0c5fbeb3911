/**
 * The relay dialog in Chromium on a hotline with no SMS gateway (the default): SMS is not offered, the operator
 * is told why (in Chinese first), and relaying by phone still works.
 */
import { describe, expect, it } from 'vitest';
import { seedCourt, testPassword, useApi } from '../../api/testing/fixtures.ts';
import type { Actor } from '../../platform/user-roles.ts';
import '../../telephony/plugin.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, signIn, useBrowser } from './browser.ts';

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
    const ticket = await tickets.create(actor('operator'), { callerNumber: '13800003333', category: 'case_progress', summary: '询问开庭时间', details: '' });
    await tickets.handOff(actor('operator'), ticket.id, { handlerUserId: court.users.judge.id });
    await tickets.reply(actor('judge'), ticket.id, { text: '3月5日开庭' });

    const page = await browser.newPage();
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await expect.poll(() => page.getByTestId('my-queue').textContent()).toContain(ticket.number);
    await page.getByTestId(`queue-${ticket.number}`).getByRole('button', { name: '转告答复' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('sms-unavailable').textContent()).toBe('未配置短信网关，只能电话转告。');
    expect(await dialog.getByRole('radio', { name: '电话' }).count()).toBe(1);
    expect(await dialog.getByRole('radio', { name: '短信' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: '发送短信' }).count()).toBe(0);

    await dialog.getByRole('button', { name: '已告知来电人' }).click();
    await expect.poll(async () => (await tickets.get(actor('operator'), ticket.id)).stage).toBe('callback');
    await page.close();
  }, 60_000);
});
