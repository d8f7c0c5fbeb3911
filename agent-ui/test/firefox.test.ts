import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { hashPassword } from '../../api/auth/passwords.ts';
import { seedCourt, testPassword, useApi } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { users } from '../../platform/directory.sql.ts';
import '../../telephony/plugin.ts';
import { realAsteriskMissing } from '../../test/asterisk/asterisk-instance.ts';
import { useRealHotline, type RealHotline } from '../../test/asterisk/real-hotline.ts';
import { buildConsole } from '../build.ts';
import { firefoxScreenshot, firefoxUnavailableReason, signInFirefox, textOf, useFirefox } from './firefox.ts';

/**
 * The console in Firefox (issue 8: "works on Chromium and Firefox"): Debian's Firefox ESR driven over WebDriver
 * BiDi by puppeteer-core, against the real server. The softphone's SIP WebSocket is a loopback listener here, so
 * JsSIP's REGISTER is seen on the wire; with a real Asterisk on the PATH it also registers there.
 */
const skipReason = firefoxUnavailableReason();
if (skipReason) console.warn(`[console Firefox test skipped] ${skipReason}`);
const enabled = !skipReason;

// What JsSIP in the page sends to its SIP WebSocket (subprotocol "sip", RFC 7118).
const sipFrames: string[] = [];
const sipSocket = enabled ? new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) }) : undefined;
sipSocket?.on('connection', (socket) => socket.on('message', (data) => void sipFrames.push(String(data))));
afterAll(() => {
  for (const socket of sipSocket?.clients ?? []) socket.terminate();
  sipSocket?.close();
});
const sipSocketUrl = sipSocket ? await new Promise<string>((resolve) => sipSocket.on('listening', () => resolve(`ws://127.0.0.1:${(sipSocket.address() as AddressInfo).port}/ws`))) : '';

if (enabled) await buildConsole();
const hotline = enabled
  ? await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000', HOTLINE_SIP_WS_URL: sipSocketUrl, HOTLINE_SIP_DOMAIN: '127.0.0.1', HOTLINE_SIP_PASSWORD_SECRET: 'firefox-test-sip-secret-0123' })
  : (undefined as never);
const firefox = enabled ? await useFirefox() : (undefined as never);

// Desk panels that land from other branches are checked once their component is in the console.
const deskDir = join(import.meta.dirname, '../src/pages/desk');
const optionalPanels = [
  { testId: 'transfer-panel', file: 'TransferPanel.tsx' },
  { testId: 'my-queue', file: 'MyQueue.tsx' },
].filter((panel) => {
  if (existsSync(join(deskDir, panel.file))) return true;
  if (enabled) console.warn(`[console Firefox test] ${panel.testId} not checked: agent-ui/src/pages/desk/${panel.file} is not in this console yet`);
  return false;
});

describe.skipIf(!enabled)('the web console in Firefox ESR, against the real server', () => {
  it('signs in in Chinese, shows the desk, goes ready, switches to English, and starts the JsSIP softphone with fake devices', async () => {
    const court = await seedCourt(hotline.deps.db);
    const operator = court.users.operator;
    const page = await firefox.newPage();

    await page.goto(`${hotline.url}/`);
    await page.waitForSelector('input[autocomplete="username"]');
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    const signInText = await textOf(page, 'form');
    expect(signInText).toContain('用户名');
    expect(signInText).toContain('密码');
    expect((await textOf(page, 'button[type="submit"]')).replace(/\s/g, '')).toBe('登录');
    await firefoxScreenshot(page, '01-sign-in');

    await signInFirefox(page, hotline.url, operator.username, testPassword);
    await page.waitForFunction("location.pathname === '/desk'", { timeout: 15_000 });
    await expect.poll(() => textOf(page, '[data-testid="softphone"]')).toContain('软电话');
    await expect.poll(() => textOf(page, '[data-testid="presence"]')).toContain('坐席状态');
    for (const panel of optionalPanels) await expect.poll(() => page.$(`[data-testid="${panel.testId}"]`).then(Boolean), { message: panel.testId }).toBe(true);
    await expect.poll(() => textOf(page, '[data-testid="realtime-status"]')).toContain('实时连接正常');

    // getUserMedia with Firefox's fake devices, then JsSIP connects and sends REGISTER for the operator's endpoint.
    await expect.poll(() => textOf(page, '[data-testid="mic-status"]')).toContain('麦克风正常');
    await expect.poll(() => textOf(page, '[data-testid="softphone"]')).toContain('已连接');
    await expect.poll(() => sipFrames.some((f) => f.startsWith('REGISTER sip:127.0.0.1 SIP/2.0'))).toBe(true);
    const register = sipFrames.find((f) => f.startsWith('REGISTER '))!;
    const [{ sipEndpoint }] = (await hotline.deps.db.select({ sipEndpoint: users.sipEndpoint }).from(users).where(eq(users.id, operator.id))) as [{ sipEndpoint: string }];
    expect(register).toMatch(new RegExp(`^From: .*<sip:${sipEndpoint}@127\\.0\\.0\\.1>`, 'mi'));
    expect(register).toMatch(/^Contact: <sip:[^>]+;transport=ws>/im);
    expect(await textOf(page, '[data-testid="sip-registration"]')).not.toBe('');

    // Ready: the state shown is the server's.
    await expect.poll(() => textOf(page, '[data-testid="presence-state"]')).toBe('离线');
    const readyButton = await page.waitForSelector('[data-testid="presence"] button.ant-btn-primary:not([disabled])');
    await readyButton!.click();
    await expect.poll(async () => (await serviceOf(hotline.deps, 'telephony').presenceOf(operator.id)).state).toBe('ready');
    await expect.poll(() => textOf(page, '[data-testid="presence-state"]')).toBe('空闲');
    await firefoxScreenshot(page, '02-operator-desk');

    // Alt+L switches the whole console to English, without a reload.
    await page.evaluate('window.firefoxTestMarker = true');
    await page.keyboard.down('Alt');
    await page.keyboard.press('KeyL');
    await page.keyboard.up('Alt');
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('en');
    await expect.poll(() => textOf(page, 'body')).toContain('Operator desk');
    expect(await textOf(page, '[data-testid="softphone"]')).toContain('Softphone');
    expect(await textOf(page, '[data-testid="softphone"]')).toContain('Connected');
    expect(await textOf(page, '[data-testid="mic-status"]')).toContain('Microphone ready');
    expect(await textOf(page, '[data-testid="presence-state"]')).toBe('Ready');
    expect(await page.evaluate('window.firefoxTestMarker')).toBe(true); // no reload
    await firefoxScreenshot(page, '03-operator-desk-en');

    await page.keyboard.down('Alt');
    await page.keyboard.press('KeyL');
    await page.keyboard.up('Alt');
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await page.close();
  }, 90_000);
});

const asteriskMissing = enabled ? realAsteriskMissing() : skipReason;
if (enabled && asteriskMissing) console.warn(`[console Firefox softphone registration against Asterisk skipped] ${asteriskMissing}`);

describe.skipIf(asteriskMissing !== undefined)('the Firefox softphone against a real Asterisk 22', async () => {
  const password = 'firefox softphone password';
  const h = asteriskMissing
    ? (undefined as unknown as RealHotline)
    : await useRealHotline({
        operators: ['op2101'],
        desks: {},
        env: (asterisk) => ({ HOTLINE_ROLES: 'api,telephony,workers', HOTLINE_SIP_WS_URL: `ws://127.0.0.1:${asterisk.httpPort}/ws`, HOTLINE_SIP_DOMAIN: '127.0.0.1', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }),
      });

  it('registers the operator endpoint over SIP-over-WebSocket', async () => {
    await h.pgc.query(`insert into api.credentials (user_id, password_hash) values ($1, $2)`, [h.users.op2101, await hashPassword(password)]);
    const page = await firefox.newPage();
    await signInFirefox(page, h.hotline!.url, 'u-op2101', password);
    await page.waitForFunction("location.pathname === '/desk'", { timeout: 15_000 });
    await expect.poll(() => textOf(page, '[data-testid="mic-status"]')).toContain('麦克风正常');
    await expect.poll(() => textOf(page, '[data-testid="sip-registration"]'), { timeout: 20_000 }).toContain('已注册');
    await expect.poll(async () => (await h.ari('/endpoints/PJSIP/op2101')).state).toBe('online');
    const contacts = h.asterisk.cli('pjsip show contacts');
    expect(contacts).toMatch(/op2101\/sip:\S+@127\.0\.0\.1:\d+;transport=/);
    await firefoxScreenshot(page, '04-softphone-registered-asterisk');
    await page.close();
  }, 90_000);
});
