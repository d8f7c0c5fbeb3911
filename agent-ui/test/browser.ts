/** Test support: Debian's Chromium driven by playwright-core, with fake media devices (webrtc-softphone.md). */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../../platform/db/migration-sets.ts';

export const chromiumPath = '/usr/bin/chromium';
export const artifactsDir = join(repoRoot, 'test-artifacts', 'console');

/**
 * Why the browser tests cannot run here, or undefined when they can. Only a machine without Chromium outside
 * CI may skip them; in CI (.ci/run installs Chromium) a missing browser is a failure, not a skip.
 */
export function browserUnavailableReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  if (process.env.CI) return undefined; // let launching fail loudly
  return `${chromiumPath} is missing: install it with "apt-get install -y chromium" (.ci/run does) to run the console's browser tests`;
}

const args = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** A fresh browser profile for this file; closed after it. */
export async function useBrowser(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'hotline-chromium-'));
  // headless:false stops Playwright adding its own --headless; --headless=new is in args.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: false,
    args,
    viewport: { width: 1366, height: 860 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  // The server's Content-Security-Policy (platform/http/security-headers.ts) must let the console work: any violation
  // Chromium reports (a blocked script, style, connection or media) fails the file.
  const cspViolations: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${message.location().url}: ${message.text()}`);
  });
  afterAll(async () => {
    await context.close();
    if (cspViolations.length > 0) throw new Error(`the console broke its Content-Security-Policy:\n${[...new Set(cspViolations)].join('\n')}`);
  });
  return context;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /^登\s?录$/ }).click();
}
