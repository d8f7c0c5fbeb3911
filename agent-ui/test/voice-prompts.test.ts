import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCourt, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { courtPrompts } from '../../telephony/prompts/prompts.sql.ts';
import { shippedPromptsDir } from '../../telephony/prompts/routes.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console voice-prompts browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const adminBrowser = enabled ? await useBrowser() : (undefined as never);
const operatorBrowser = enabled ? await useBrowser() : (undefined as never);
const dir = mkdtempSync(join(tmpdir(), 'hotline-voice-prompts-ui-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The player's state in the page: what it loaded and how long it is. */
const player = (page: Page) =>
  page.getByTestId('voice-prompt-audio').evaluate((el) => {
    const audio = el as unknown as { src: string; readyState: number; duration: number; currentTime: number; paused: boolean; error: unknown };
    return { src: audio.src, ready: audio.readyState, duration: audio.duration, at: audio.currentTime, paused: audio.paused, failed: audio.error !== null };
  });

describe.skipIf(!enabled)('语音提示 in Chromium: an admin listens, has words spoken, uploads, is refused a bad file, reverts', () => {
  let court: SeededCourt;
  const rowOf = async () => (await hotline.deps.db.select().from(courtPrompts).where(and(eq(courtPrompts.courtId, court.courtId), eq(courtPrompts.prompt, 'welcome'))))[0];

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
  }, 60_000);

  it('at 1366×768 the admin previews the shipped welcome, replaces it by spoken words and by an uploaded mp3, and hears each converted file', async () => {
    const page = await adminBrowser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.admin.username, testPassword);
    await page.getByRole('menuitem', { name: '语音提示' }).click();
    await page.waitForURL('**/voice-prompts');
    await expect.poll(() => page.getByTestId('voice-prompts').textContent()).toContain('欢迎词');

    // The shipped prompt plays in the page.
    await page.getByTestId('voice-prompt-open-welcome').click();
    const modal = page.getByTestId('voice-prompt-modal');
    await expect.poll(() => modal.getByTestId('voice-prompt-source').textContent()).toBe('默认');
    await expect.poll(async () => (await player(page)).ready, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect((await player(page)).duration).toBeGreaterThan(3);

    // Words spoken by espeak-ng: the player now loads the converted file the server keeps, and plays it.
    await modal.getByTestId('voice-prompt-text').fill('您好，欢迎致电测试法院诉讼服务热线。');
    await modal.getByTestId('voice-prompt-speak').click();
    await expect.poll(() => modal.getByTestId('voice-prompt-source').textContent(), { timeout: 15_000 }).toBe('文字合成');
    const spoken = (await rowOf())!;
    expect(spoken).toMatchObject({ source: 'text', text: '您好，欢迎致电测试法院诉讼服务热线。' });
    await expect.poll(async () => (await player(page)).src, { timeout: 10_000 }).toContain(`v=${spoken.sha256}`);
    await expect.poll(async () => (await player(page)).ready, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect((await player(page)).duration).toBeCloseTo(spoken.durationMs / 1000, 1);
    await page.getByTestId('voice-prompt-audio').evaluate((el) => (el as unknown as { play(): Promise<void> }).play());
    await expect.poll(async () => (await player(page)).at, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await player(page)).failed).toBe(false);
    await screenshot(page, 'voice-prompts-1366x768');

    // A recording uploaded as mp3 (44.1 kHz stereo), converted to what Asterisk plays.
    const mp3 = join(dir, '本院欢迎词.mp3');
    execFileSync('sox', [join(shippedPromptsDir, 'goodbye.wav'), '-r', '44100', '-c', '2', mp3]);
    await modal.locator('input[type=file]').setInputFiles(mp3);
    await expect.poll(() => modal.getByTestId('voice-prompt-source').textContent(), { timeout: 15_000 }).toBe('上传的录音');
    const uploaded = (await rowOf())!;
    expect(uploaded).toMatchObject({ source: 'upload', fileName: '本院欢迎词.mp3' });
    expect(uploaded.audio.readUInt32LE(24)).toBe(8000);
    await expect.poll(async () => (await player(page)).src, { timeout: 10_000 }).toContain(`v=${uploaded.sha256}`);
    await expect.poll(async () => (await player(page)).ready, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect((await player(page)).duration).toBeCloseTo(uploaded.durationMs / 1000, 1);

    // A file that is not audio: the reason is shown and the prompt stays as it was.
    const fake = join(dir, 'fake.wav');
    writeFileSync(fake, 'not audio at all');
    await modal.locator('input[type=file]').setInputFiles(fake);
    await expect.poll(() => modal.getByTestId('voice-prompt-error').textContent(), { timeout: 10_000 }).toContain('无法识别该音频文件');
    expect((await rowOf())!.sha256).toBe(uploaded.sha256);
    expect(await modal.getByTestId('voice-prompt-source').textContent()).toBe('上传的录音');
    await screenshot(page, 'voice-prompts-refused-1366x768');

    // Back to the shipped prompt.
    await modal.getByTestId('voice-prompt-revert').click();
    await page.getByRole('button', { name: /^(确\s?定|OK)$/ }).click();
    await expect.poll(() => modal.getByTestId('voice-prompt-source').textContent(), { timeout: 10_000 }).toBe('默认');
    expect(await rowOf()).toBeUndefined();
    await expect.poll(async () => (await player(page)).src).toContain('v=shipped');
    await page.close();
  });

  it('an operator has no 语音提示 page', async () => {
    const page = await operatorBrowser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.getByRole('menuitem').first().waitFor();
    expect(await page.getByRole('menuitem', { name: '语音提示' }).count()).toBe(0);
    const refused = await page.evaluate(async () => (await fetch('/api/telephony/prompts')).status);
    expect(refused).toBe(403);
    await page.close();
  });
});
