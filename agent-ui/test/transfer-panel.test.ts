/**
 * Transfers from the operator's desk in Chromium (issue 8: "transfer buttons (blind, attended with
 * complete/cancel)"), against a whole hotline over the ARI stand-in: the operator answers a caller, consults a
 * judge chosen from the directory, completes; then transfers a second caller blind to a judge who is busy.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { credentials } from '../../api/auth/auth.sql.ts';
import { hashPassword } from '../../api/auth/passwords.ts';
import { testPassword } from '../../api/testing/fixtures.ts';
import { users } from '../../platform/directory.sql.ts';
import { useTelephonyOverSim } from '../../telephony/test/over-sim.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console transfer test skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const t = enabled ? await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony', HOTLINE_SIGN_IN_RATE_LIMIT: '1000', TELEPHONY_TRANSFER_RING_SECONDS: '2' } }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

describe.skipIf(!enabled)('transfers from the desk', () => {
  it('consults a judge and completes; a blind transfer to a busy judge shows it was not answered', async () => {
    const db = t.hotline.deps.db;
    const operatorId = await t.addOperator('op7301', { ready: false });
    t.sim.endpoint('op7301').answerAfter(50);
    const judges = { answers: randomUUID(), busy: randomUUID() };
    await db.insert(users).values([
      { id: judges.answers, courtId: t.courtId, username: 'tp-judge-1', displayName: '赵法官', role: 'judge', extension: '8201' },
      { id: judges.busy, courtId: t.courtId, username: 'tp-judge-2', displayName: '钱法官', role: 'judge', extension: '8202' },
    ]);
    t.sim.endpoint('ext-8201').register().answerAfter(50);
    t.sim.endpoint('ext-8202').register().busy();
    const [operator] = await db.select().from(users).where(eq(users.id, operatorId));
    await db.insert(credentials).values({ userId: operatorId, passwordHash: await hashPassword(testPassword) });

    const desk = await browser.newPage();
    await signIn(desk, t.url, operator!.username, testPassword);
    await desk.waitForURL('**/desk');
    // Ready from the server side: the desk shows it only through its realtime socket, so the screen pop will reach it too.
    await expect.poll(() => desk.getByTestId('presence-state').textContent()).toBe('离线');
    await t.rt.service.setPresence(operatorId, 'ready');
    await expect.poll(() => desk.getByTestId('presence-state').textContent(), { timeout: 15_000 }).toBe('空闲');

    const answerCaller = async (from: string) => {
      const caller = await t.sim.placeCall({ from });
      await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
      await caller.pressDigits('0');
      await expect.poll(() => desk.getByTestId('screen-pop').textContent(), { timeout: 15_000 }).toContain(from);
      return caller;
    };
    const choose = async (name: string) => {
      await desk.getByTestId('transfer-target').click();
      await desk.getByTitle(name, { exact: false }).first().click();
    };
    const bridgeOf = (channelId: string | null) => t.sim.bridges().find((b) => b.channels.includes(channelId!));

    const first = await answerCaller('13822220001');
    await choose('赵法官');
    await desk.getByTestId('transfer-attended').click();
    await expect.poll(() => desk.getByTestId('transfer-status').textContent(), { timeout: 10_000 }).toContain('已接通');
    await screenshot(desk, '36-operator-transfer-consulting');
    await desk.getByTestId('transfer-complete').click();
    await expect.poll(() => desk.getByTestId('transfer-status').textContent(), { timeout: 10_000 }).toContain('已转接');
    await expect.poll(() => bridgeOf(first.channelId)?.channels.some((c) => c.endsWith('-tr1'))).toBe(true);
    first.hangup();

    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).operators.find((o) => o.userId === operatorId)?.state, { timeout: 10_000 }).toBe('ready');
    const second = await answerCaller('13822220002');
    await choose('钱法官');
    await desk.getByTestId('transfer-blind').click();
    await expect.poll(() => desk.getByTestId('transfer-status').textContent(), { timeout: 10_000 }).toContain('占线');
    await screenshot(desk, '37-operator-transfer-busy');
    second.hangup();
    await desk.close();
  }, 90_000);
});
