import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { soundsDir, useTelephonyOverSim } from '../test/over-sim.ts';
import { speak } from './convert.ts';
import { CourtPrompts } from './court-prompts.ts';
import { removeCourtPrompt, saveCourtPrompt, sha256Of } from './store.ts';

// The api role too: the hotline serves the prompt audio the stand-in fetches, as Asterisk would.
const t = await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'telephony,api' } });

/** What the stand-in was asked to play first on a call, and how that playback ended. */
async function firstPlayback(channelId: string): Promise<{ media: string; state: string }> {
  const onChannel = (e: any) => e.playback?.target_uri === `channel:${channelId}`;
  const started: any = await t.sim.waitFor('PlaybackStarted', onChannel, { includePast: true });
  const finished: any = await t.sim.waitFor('PlaybackFinished', (e: any) => e.playback?.id === started.playback.id, { includePast: true, timeoutMs: 10_000 });
  return { media: started.playback.media_uri, state: finished.playback.state };
}

async function callAndHear(to?: string): Promise<{ media: string; state: string }> {
  const call = await t.sim.placeCall({ from: '13900000009', ...(to ? { to } : {}) });
  const heard = await firstPlayback(call.channelId!);
  call.hangup();
  await t.closedCall(call.channelId);
  return heard;
}

describe("a court's own voice prompts on its calls", () => {
  it("the stand-in is asked to play the court's replaced prompt from the court's next call, fetches it from the hotline and plays it whole; other courts and a revert hear the shipped one", async () => {
    const other = randomUUID();
    await t.pgc.query(`insert into platform.courts (id, code, name) values ($1, 'T02', '第二法院')`, [other]);
    await t.pgc.query(`insert into telephony.hotline_numbers (number, court_id) values ('95368', $1)`, [other]);
    await expect.poll(() => t.rt.directory.courtFor({ dialled: '95368' }), { timeout: 2000, interval: 10 }).toBe(other);
    const shipped = `sound:${soundsDir}/zh/welcome,sound:${soundsDir}/zh/menu`;

    expect(await callAndHear()).toEqual({ media: shipped, state: 'done' });

    const audio = await speak('您好，这里是测试法院的诉讼服务热线。');
    const sha = sha256Of(audio.wav);
    await saveCourtPrompt(t.hotline.deps.db, { courtId: t.courtId, prompt: 'welcome', source: 'text', text: '您好', fileName: null, audio, userId: null });
    await expect.poll(() => t.rt.prompts.hashOf(t.courtId, 'welcome'), { timeout: 3000, interval: 10 }).toBe(sha);

    const own = await callAndHear();
    expect(own.media).toBe(`sound:${t.url}/api/telephony/prompt-audio/${sha}.wav,sound:${soundsDir}/zh/menu`);
    // Fetched over HTTP and played whole: a URL the stand-in could not fetch as a wav would end `failed`.
    expect(own.state).toBe('done');

    expect(await callAndHear('95368')).toEqual({ media: shipped, state: 'done' });

    await removeCourtPrompt(t.hotline.deps.db, t.courtId, 'welcome');
    await expect.poll(() => t.rt.prompts.hashOf(t.courtId, 'welcome'), { timeout: 3000, interval: 10 }).toBeUndefined();
    expect(await callAndHear()).toEqual({ media: shipped, state: 'done' });
  });

  it('a prompt whose audio is not a wav fails that playback in the stand-in, as in Asterisk', async () => {
    await t.pgc.query(
      `insert into telephony.court_prompts (court_id, prompt, source, audio, sha256, duration_ms) values ($1, 'welcome', 'upload', '\\x00', $2, 1000)`,
      [t.courtId, 'f'.repeat(64)],
    );
    // Inserted by hand, without the NOTIFY the store sends: reloaded explicitly.
    await t.rt.prompts.reload();
    expect(await callAndHear()).toMatchObject({ media: expect.stringContaining('f'.repeat(64)), state: 'failed' });
    await t.pgc.query(`delete from telephony.court_prompts where court_id = $1`, [t.courtId]);
  });

  it('with no URL that serves the audio (no TELEPHONY_PROMPTS_URL, no api role), the shipped prompts play', async () => {
    const audio = await speak('您好');
    await saveCourtPrompt(t.hotline.deps.db, { courtId: t.courtId, prompt: 'goodbye', source: 'text', text: '您好', fileName: null, audio, userId: null });
    const served = new CourtPrompts({ db: t.hotline.deps.db, soundsDir, logger: t.hotline.deps.logger, baseUrl: () => 'http://hotline.court.local:8368/' });
    const unserved = new CourtPrompts({ db: t.hotline.deps.db, soundsDir, logger: t.hotline.deps.logger, baseUrl: () => undefined });
    await Promise.all([served.reload(), unserved.reload()]);
    expect(served.media(t.courtId, ['goodbye', 'menu'])).toEqual([`sound:http://hotline.court.local:8368/api/telephony/prompt-audio/${sha256Of(audio.wav)}.wav`, `sound:${soundsDir}/zh/menu`]);
    expect(unserved.media(t.courtId, ['goodbye', 'menu'])).toEqual([`sound:${soundsDir}/zh/goodbye`, `sound:${soundsDir}/zh/menu`]);
    await removeCourtPrompt(t.hotline.deps.db, t.courtId, 'goodbye');
  });
});
