import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../agent-ui/build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from '../../agent-ui/test/browser.ts';
import { hashPassword } from '../../api/auth/passwords.ts';
import { realAsteriskMissing } from './asterisk-instance.ts';
import { useRealHotline, type RealHotline } from './real-hotline.ts';
import { placeCall } from './sipp.ts';

/**
 * The console's softphone (JsSIP in Chromium with fake media devices) registering its operator endpoint with a
 * real Asterisk over SIP-over-WebSocket and taking a hotline call with DTLS-SRTP media. Skipped like the rest of
 * test/asterisk/ without asterisk and sipp, and without Chromium outside CI.
 */
const missing = realAsteriskMissing() ?? browserUnavailableReason();
if (missing) console.log(`test/asterisk/softphone.test.ts skipped: ${missing}`);
const password = 'softphone test password';

describe.skipIf(missing !== undefined)('the console softphone against a real Asterisk 22', async () => {
  if (!missing) await buildConsole();
  const h = missing
    ? (undefined as unknown as RealHotline)
    : await useRealHotline({
        operators: ['op2001'],
        desks: {},
        env: (asterisk) => ({ HOTLINE_ROLES: 'api,telephony,workers', HOTLINE_SIP_WS_URL: `ws://127.0.0.1:${asterisk.httpPort}/ws`, HOTLINE_SIP_DOMAIN: '127.0.0.1', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }),
      });
  const browser = missing ? (undefined as never) : await useBrowser();

  it('registers, rings on a hotline call, answers, and exchanges encrypted audio with the caller through the bridge', async () => {
    await h.pgc.query(`insert into api.credentials (user_id, password_hash) values ($1, $2)`, [h.users.op2001, await hashPassword(password)]);
    const page = await browser.newPage();
    await signIn(page, h.hotline!.url, 'u-op2001', password);
    await page.waitForURL('**/desk');
    await expect.poll(() => page.getByTestId('sip-registration').textContent(), { timeout: 20_000 }).toContain('已注册');
    await expect.poll(async () => (await h.ari('/endpoints/PJSIP/op2001')).state).toBe('online');
    await h.rt.service.setPresence(h.users.op2001!, 'ready');

    const caller = await placeCall(h.asterisk, { caller: '13800000009', digit: '0', beforeDigitMs: 1000, stayMs: 12_000 });
    await page.getByTestId('incoming-call').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /接听/ }).click();
    await expect.poll(() => page.getByText(/通话中/).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await screenshot(page, 'asterisk-softphone-in-call');

    // Both legs Up in the controller's bridge, and RTP from the browser (fake microphone) reaching Asterisk.
    const bridged = async () => {
      const [bridges, channels] = await Promise.all([h.ari('/bridges'), h.ari('/channels')]);
      const names = new Map<string, any>(channels.map((c: any) => [c.id, c]));
      return bridges.some((b: any) => b.channels.length === 2 && b.channels.every((id: string) => names.get(id)?.state === 'Up') && b.channels.some((id: string) => names.get(id)?.name.startsWith('PJSIP/op2001-')));
    };
    await expect.poll(bridged, { timeout: 15_000 }).toBe(true);
    const received = () => {
      const line = h.asterisk.cli('pjsip show channelstats').split('\n').find((l) => l.includes('op2001-'));
      // "<bridge> <channel> <uptime> <codec> <rx count> …": the first count after the codec.
      const fields = line?.trim().split(/\s+/) ?? [];
      return Number(fields[4] ?? 0);
    };
    await expect.poll(received, { timeout: 10_000 }).toBeGreaterThan(20);

    const result = await caller.done;
    expect(result.code, result.output).toBe(0);
    await expect.poll(async () => (await h.pgc.query(`select outcome, answered_by from telephony.calls where caller_number = '13800000009'`)).rows[0] ?? null, { timeout: 20_000 }).toEqual({
      outcome: 'answered',
      answered_by: h.users.op2001,
    });
    await expect.poll(() => page.getByText(/通话中/).count()).toBe(0);
    await page.close();
  }, 120_000);
});
