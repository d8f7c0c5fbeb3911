import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn as apiSignIn, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { recordedCall } from '../../telephony/recordings/testing/recorded-call.ts';
import { pcmWav } from '../../telephony/ari-sim/wav.ts';
import { lastWeek, weekSpan } from '../../telephony/quality/week.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[quality review browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

/** 3 s of 8 kHz 16-bit mono: a tone whose loudness rises and falls, so the waveform has a shape. */
function toneWav(): Buffer {
  const rate = 8000;
  const n = rate * 3;
  const samples = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) samples.writeInt16LE(Math.round(Math.sin((i / n) * Math.PI) * 20000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  return pcmWav(samples, rate);
}

// 录音质检 in Chromium against the real API: a head scores a sampled call while listening (waveform, seek, speed), the
// operator appeals, the manager decides and the review is locked.
describe.skipIf(!enabled)('quality review in Chromium', () => {
  let court: SeededCourt;
  let manager: string;
  let reviewId: string;
  const week = lastWeek(new Date());

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    manager = await apiSignIn(hotline.url, court.users.manager.username);
    const dir = serviceOf(hotline.deps, 'telephonyRecordings').context.dir;
    const daysAgo = (Date.now() - weekSpan(week).start.getTime() - 30 * 3600_000) / 86_400_000;
    const rec = await recordedCall(hotline.deps.db, { courtId: court.courtId, dir, daysAgo, operatorId: court.users.operator.id });
    writeFileSync(join(dir, rec.path), toneWav());
    await hotline.deps.db.execute(sql`update telephony.recordings set size_bytes = ${toneWav().length} where call_id = ${rec.callId}`);
    const form = await call(hotline.url, 'POST', '/api/telephony/quality/forms', {
      cookie: manager,
      body: { name: '话务服务评分表', items: [{ key: 'greeting', label: '规范问候', weight: 20 }, { key: 'accuracy', label: '答复准确', weight: 50 }, { key: 'attitude', label: '服务态度', weight: 30 }, { key: 'rude', label: '态度粗暴', weight: 0, fatal: true }] },
    });
    expect(form.status).toBe(201);
    await call(hotline.url, 'PUT', '/api/telephony/quality/settings', { cookie: manager, body: { sharePercent: 100, seed: 'chromium' } });
    const draw = await call(hotline.url, 'POST', '/api/telephony/quality/draws', { cookie: manager, body: { week } });
    expect(draw.body).toMatchObject({ added: 1 });
    reviewId = (await call(hotline.url, 'GET', '/api/telephony/quality/reviews', { cookie: manager })).body[0].id;
  }, 60_000);

  it('a head at 1366×768 listens (waveform, play from a point, 1.5×) and scores the call', async () => {
    const ctx = await useBrowser();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.department_head.username, testPassword);
    await page.getByRole('menuitem', { name: '录音质检' }).click();
    await page.waitForURL('**/quality');
    const queue = page.getByTestId('quality-queue');
    await expect.poll(() => queue.textContent()).toContain('待评分');
    await screenshot(page, 'quality-queue-head-1366x768');
    await queue.getByRole('link', { name: /查看/ }).click();
    await page.waitForURL(`**/quality/reviews/${reviewId}`);

    const waveform = page.getByTestId('quality-waveform');
    await expect.poll(() => waveform.getAttribute('data-peaks')).toBe('300');
    const audio = page.getByTestId('quality-audio');
    await expect.poll(() => audio.evaluate((a) => (a as unknown as { duration: number }).duration)).toBeCloseTo(3, 1);
    const box = (await waveform.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => audio.evaluate((a) => (a as unknown as { currentTime: number }).currentTime)).toBeGreaterThan(1.2);
    await page.getByTestId('quality-speed').click();
    await page.getByTitle('1.5×').click();
    expect(await audio.evaluate((a) => (a as unknown as { playbackRate: number }).playbackRate)).toBe(1.5);

    const form = page.getByTestId('quality-score-form');
    await form.getByLabel('规范问候').fill('15');
    await form.getByLabel('答复准确').fill('40');
    await form.getByLabel('服务态度').fill('25');
    await expect.poll(() => page.getByTestId('quality-score-preview').textContent()).toBe('预计得分 80');
    await form.getByLabel('评语').fill('答复准确，问候不够规范');
    await screenshot(page, 'quality-review-scoring-head-1366x768');
    await page.getByTestId('quality-score-submit').click();
    await expect.poll(() => page.getByTestId('quality-review-score').textContent()).toBe('80');
    expect(await page.getByTestId('quality-trail').textContent()).toContain('评分');
    expect((await call(hotline.url, 'GET', `/api/telephony/quality/reviews/${reviewId}`, { cookie: manager })).body).toMatchObject({ status: 'scored', score: 80, comment: '答复准确，问候不够规范' });
    await ctx.close();
  }, 90_000);

  it('the operator at 1366×768 sees their review and appeals once; the manager decides and the review is locked', async () => {
    const ctx = await useBrowser();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    await page.goto(`${hotline.url}/quality`);
    const mine = page.getByTestId('quality-mine');
    await expect.poll(() => mine.textContent()).toContain('已评分');
    await mine.getByRole('link', { name: /查看/ }).click();
    const actions = page.getByTestId('quality-operator-actions');
    await actions.getByLabel('申诉理由').fill('第 1 分钟已规范问候，请复听');
    await actions.getByRole('button', { name: /申\s?诉/ }).click();
    await expect.poll(() => page.getByTestId('quality-review-page').textContent()).toContain('申诉中');
    expect(await page.getByTestId('quality-operator-actions').count()).toBe(0);
    await screenshot(page, 'quality-review-appealed-operator-1366x768');
    await ctx.close();

    const mctx = await useBrowser();
    const mpage = await mctx.newPage();
    await mpage.setViewportSize({ width: 1366, height: 768 });
    await signIn(mpage, hotline.url, court.users.manager.username, testPassword);
    await mpage.getByRole('menuitem', { name: '录音质检' }).click();
    await mpage.getByRole('tab', { name: '申诉裁决' }).click();
    await mpage.getByTestId('quality-appeals').getByRole('link', { name: /查看/ }).click();
    const decision = mpage.getByTestId('quality-decision');
    await decision.getByLabel('裁决意见').fill('复听后维持原评分');
    await decision.getByRole('button', { name: '裁决申诉' }).click();
    await expect.poll(() => mpage.getByTestId('quality-review-page').textContent()).toContain('已锁定');
    expect(await mpage.getByTestId('quality-amend').count()).toBe(1);
    await screenshot(mpage, 'quality-review-decided-manager-1366x768');
    // English one keystroke away.
    await mpage.keyboard.press('Alt+L');
    await expect.poll(() => mpage.getByTestId('quality-review-page').textContent()).toContain('Decided · Locked');
    expect(await mpage.getByTestId('quality-amend').textContent()).toContain('Add a sealed note');
    await screenshot(mpage, 'quality-review-decided-manager-en-1366x768');
    await mpage.keyboard.press('Alt+L');
    await mctx.close();

    const operator = await apiSignIn(hotline.url, court.users.operator.username);
    expect((await call(hotline.url, 'GET', `/api/telephony/quality/reviews/${reviewId}`, { cookie: operator })).body).toMatchObject({ status: 'decided', decision: 'upheld', locked: true, score: 80 });
    expect((await call(hotline.url, 'POST', `/api/telephony/quality/reviews/${reviewId}/accept`, { cookie: operator })).status).toBe(409);
  }, 120_000);
});
