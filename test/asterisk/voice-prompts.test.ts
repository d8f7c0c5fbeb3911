import { describe, expect, it } from 'vitest';
import { speak } from '../../telephony/prompts/convert.ts';
import { saveCourtPrompt, sha256Of } from '../../telephony/prompts/store.ts';
import { realAsteriskMissing } from './asterisk-instance.ts';
import { useRealHotline } from './real-hotline.ts';
import { placeCall } from './sipp.ts';

/**
 * A court's own voice prompt against a real Asterisk 22: the controller plays `sound:<hotline>/api/…/<sha256>.wav`,
 * Asterisk fetches it from the hotline through res_http_media_cache and plays the cached copy to the caller.
 * Runs when `asterisk` and `sipp` are on the PATH (skipped otherwise, e.g. in CI).
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/voice-prompts.test.ts skipped: ${missing}`);

// The api role too: the hotline serves the prompt audio Asterisk fetches.
const h = missing ? (undefined as never) : await useRealHotline({ operators: [], desks: {}, env: () => ({ HOTLINE_ROLES: 'telephony,api' }) });

describe.skipIf(!!missing)("a court's own voice prompt in a real Asterisk", () => {
  it("Asterisk fetches the court's welcome from the hotline over HTTP, keeps it in its media cache and plays it to the caller", async () => {
    const audio = await speak('您好，这里是测试法院。');
    const sha = sha256Of(audio.wav);
    await saveCourtPrompt(h.hotline!.deps.db, { courtId: h.courtId, prompt: 'welcome', source: 'text', text: '您好', fileName: null, audio, userId: null });
    await expect.poll(() => h.rt.prompts.hashOf(h.courtId, 'welcome'), { timeout: 15_000, interval: 20 }).toBe(sha);

    const caller = await placeCall(h.asterisk, { caller: '13900000001', beforeDigitMs: 6000, digit: '0', stayMs: 1000 });
    try {
      const url = `${h.hotline!.url}/api/telephony/prompt-audio/${sha}.wav`;
      await expect.poll(() => h.asterisk.cli('media cache show all'), { timeout: 15_000 }).toContain(url);
      // Played to the caller (the verbose log names the URI, in the format Asterisk picked from the cached copy), whole:
      // the menu follows it, and no playback failed.
      await expect.poll(() => h.asterisk.output().includes(`Playing '${url}.`), { timeout: 10_000 }).toBe(true);
      const caller0 = /<(PJSIP\/trunk-[0-9a-f]+)> Playing 'http/.exec(h.asterisk.output())?.[1];
      await expect.poll(() => h.asterisk.output().includes(`<${caller0}> Playing '${h.hotlineEnv.TELEPHONY_SOUNDS_DIR}/zh/menu.`), { timeout: 10_000 }).toBe(true);
      expect(h.asterisk.output()).not.toContain(`Playback failed for sound:${url}`);
    } catch (err) {
      console.log(`Asterisk's console, last lines:\n${h.asterisk.output().split('\n').filter((l) => !l.includes('Remote UNIX')).slice(-60).join('\n')}`);
      throw err;
    } finally {
      caller.stop();
    }
  }, 120_000);
});
