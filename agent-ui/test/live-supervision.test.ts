/**
 * Listen, whisper and barge from the console in Chromium (issue 23), against a whole hotline over the ARI stand-in:
 * a manager turns the operator's supervision notice on, sees the live call, listens (the stand-in gets a snoop on the
 * caller), barges (the manager's leg joins the call's bridge) and leaves; the operator's desk shows the notice while
 * the manager is on the call and drops it after; when the manager's own phone hangs up, the wallboard says so.
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
if (skipReason) console.warn(`[console supervision test skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const t = enabled ? await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' } }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);
// The manager's own browser (its own session), open beside the operator's.
const managerBrowser = enabled ? await useBrowser() : (undefined as never);

describe.skipIf(!enabled)('live supervision from the console', () => {
  it('a manager listens, barges and leaves from 通话监听; the operator is told while the manager is on the call', async () => {
    const db = t.hotline.deps.db;
    const operatorId = await t.addOperator('op8301', { ready: false });
    t.sim.endpoint('op8301').answerAfter(50);
    const managerId = randomUUID();
    await db.insert(users).values({ id: managerId, courtId: t.courtId, username: 'ls-manager', displayName: '孙主任', role: 'manager', sipEndpoint: 'mgr8301' });
    t.sim.endpoint('mgr8301').register().answerAfter(50);
    const [operator] = await db.select().from(users).where(eq(users.id, operatorId));
    await db.insert(credentials).values([
      { userId: operatorId, passwordHash: await hashPassword(testPassword) },
      { userId: managerId, passwordHash: await hashPassword(testPassword) },
    ]);

    const desk = await browser.newPage();
    await desk.setViewportSize({ width: 1366, height: 768 });
    await signIn(desk, t.url, operator!.username, testPassword);
    await desk.waitForURL('**/desk');
    await expect.poll(() => desk.getByTestId('presence-state').textContent()).toBe('离线');
    await t.rt.service.setPresence(operatorId, 'ready');
    await expect.poll(() => desk.getByTestId('presence-state').textContent(), { timeout: 15_000 }).toBe('空闲');

    const board = await managerBrowser.newPage();
    await board.setViewportSize({ width: 1366, height: 768 });
    await signIn(board, t.url, 'ls-manager', testPassword);
    await board.waitForURL('**/dashboard');
    await board.getByRole('menuitem', { name: '通话监听' }).click();
    await board.waitForURL('**/live-calls');
    await board.getByTestId('setting-supervision-notice').click();
    await expect.poll(async () => (await t.pgc.query(`select supervision_notice from telephony.court_call_settings where court_id = $1`, [t.courtId])).rows[0]?.supervision_notice).toBe(true);

    const caller = await t.sim.placeCall({ from: '13833330001' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('0');
    await expect.poll(() => desk.getByTestId('screen-pop').textContent(), { timeout: 15_000 }).toContain('13833330001');
    const callId = (await t.pgc.query(`select id from telephony.calls where channel_id = $1`, [caller.channelId])).rows[0]?.id as string;

    await expect.poll(() => board.getByTestId(`supervise-listen-${callId}`).count(), { timeout: 15_000 }).toBe(1);
    await board.getByTestId(`supervise-listen-${callId}`).click();
    await expect.poll(() => t.sim.channels().some((c) => c.id.startsWith(`${callId}-sn`)), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => desk.getByTestId('supervision-notice').textContent(), { timeout: 10_000 }).toContain('负责人正在监听');
    await screenshot(board, '60-manager-live-calls-listening');
    await screenshot(desk, '61-operator-supervision-notice');

    await board.getByTestId(`supervise-barge-${callId}`).click();
    await expect.poll(() => t.sim.bridges().find((b) => b.channels.includes(caller.channelId!))?.channels.length, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => desk.getByTestId('supervision-notice').textContent()).toContain('三方通话');

    await board.getByTestId(`supervise-leave-${callId}`).click();
    await expect.poll(() => t.sim.channels().some((c) => c.id.startsWith(`${callId}-s`)), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => desk.getByTestId('supervision-notice').count()).toBe(0);
    expect(t.sim.bridges().find((b) => b.channels.includes(caller.channelId!))?.channels.length).toBe(2);

    // Listening again, the manager hangs up their own phone: the wallboard says why the supervision ended (and said
    // nothing when the manager left by the button: its stop came before this one's start).
    await board.getByTestId(`supervise-listen-${callId}`).click();
    await expect.poll(() => t.sim.channels().some((c) => c.id.startsWith(`${callId}-sn`)), { timeout: 10_000 }).toBe(true);
    t.sim.endpoint('mgr8301').hangup();
    await expect.poll(() => board.getByTestId('supervision-ended').allTextContents(), { timeout: 10_000 }).toEqual(['您已挂断，监听结束']);

    caller.hangup();
    await t.closedCall(caller.channelId);
    const kinds = (await t.events(callId)).map((e) => e.kind).filter((k) => k.startsWith('supervision_'));
    expect(kinds).toEqual(['supervision_started', 'supervision_switched', 'supervision_stopped', 'supervision_started', 'supervision_stopped']);
    await board.close();
    await desk.close();
  }, 120_000);
});
