/**
 * A manager's console softphone on 通话监听 (issue 23): the page registers the manager's own endpoint over SIP
 * WebSocket (a loopback registrar here that answers REGISTER with 200 OK, as firefox.test.ts listens; real WebRTC
 * media is proven against Asterisk in test/asterisk/), and a listen click dials that endpoint over the ARI stand-in.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { credentials } from '../../api/auth/auth.sql.ts';
import { hashPassword } from '../../api/auth/passwords.ts';
import { testPassword } from '../../api/testing/fixtures.ts';
import { users } from '../../platform/directory.sql.ts';
import { useTelephonyOverSim } from '../../telephony/test/over-sim.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console supervisor softphone test skipped] ${skipReason}`);
const enabled = !skipReason;

/** REGISTER → 200 OK with the request's dialog headers and its Contact, which is all JsSIP needs to be registered. */
function okTo(request: string): string {
  const lines = request.split('\r\n');
  const keep = lines.filter((l) => /^(via|from|to|call-id|cseq|contact):/i.test(l)).map((l) => (/^to:/i.test(l) && !/;tag=/i.test(l) ? `${l};tag=registrar` : l));
  return ['SIP/2.0 200 OK', ...keep.map((l) => (/^contact:/i.test(l) ? `${l};expires=120` : l)), 'Content-Length: 0', '', ''].join('\r\n');
}
const registers: string[] = [];
const sipSocket = enabled ? new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) }) : undefined;
sipSocket?.on('connection', (socket) =>
  socket.on('message', (data) => {
    const text = String(data);
    if (!text.startsWith('REGISTER ')) return;
    registers.push(text);
    socket.send(okTo(text));
  }),
);
afterAll(() => {
  for (const socket of sipSocket?.clients ?? []) socket.terminate();
  sipSocket?.close();
});
const sipSocketUrl = sipSocket ? await new Promise<string>((resolve) => sipSocket.on('listening', () => resolve(`ws://127.0.0.1:${(sipSocket.address() as AddressInfo).port}/ws`))) : '';

if (enabled) await buildConsole();
const t = enabled
  ? await useTelephonyOverSim({
      env: { HOTLINE_ROLES: 'api,telephony', HOTLINE_SIGN_IN_RATE_LIMIT: '1000', HOTLINE_SIP_WS_URL: sipSocketUrl, HOTLINE_SIP_DOMAIN: '127.0.0.1', HOTLINE_SIP_PASSWORD_SECRET: 'supervisor-phone-secret-0123' },
    })
  : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

describe.skipIf(!enabled)('the supervisor softphone on 通话监听', () => {
  it('registers the manager’s own endpoint, and a listen click dials it', async () => {
    const db = t.hotline.deps.db;
    await t.addOperator('op8401');
    t.sim.endpoint('op8401').answerAfter(50);
    const managerId = randomUUID();
    await db.insert(users).values({ id: managerId, courtId: t.courtId, username: 'sp-manager', displayName: '周经理', role: 'manager', sipEndpoint: 'mgr8401' });
    await db.insert(credentials).values({ userId: managerId, passwordHash: await hashPassword(testPassword) });
    // The stand-in plays the manager's phone on the ARI side: registered, answering the supervision leg.
    t.sim.endpoint('mgr8401').register().answerAfter(50);

    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, t.url, 'sp-manager', testPassword);
    await page.waitForURL('**/dashboard');
    await page.getByRole('menuitem', { name: '通话监听' }).click();
    await page.waitForURL('**/live-calls');
    await expect.poll(() => page.getByTestId('supervisor-sip-registration').textContent(), { timeout: 15_000 }).toContain('已注册');
    expect(registers[0]).toMatch(/^From: .*sip:mgr8401@127\.0\.0\.1/im);
    await screenshot(page, '62-manager-supervisor-phone');

    const caller = await t.sim.placeCall({ from: '13844440001' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('0');
    const callIdOf = async () => (await t.pgc.query(`select id from telephony.calls where channel_id = $1`, [caller.channelId])).rows[0]?.id as string | undefined;
    await expect.poll(callIdOf, { timeout: 15_000 }).toBeTruthy();
    const callId = (await callIdOf())!;
    await expect.poll(() => page.getByTestId(`supervise-listen-${callId}`).count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId(`supervise-listen-${callId}`).click();
    await expect.poll(() => t.sim.channels().some((c) => c.name.includes('mgr8401')), { timeout: 10_000 }).toBe(true);

    await page.getByTestId(`supervise-leave-${callId}`).click();
    caller.hangup();
    await t.closedCall(caller.channelId);
    await page.close();
  }, 120_000);
});
