/** Test support: Debian's Chromium driven by playwright-core, with fake media devices (webrtc-softphone.md). */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page, type Route } from 'playwright-core';
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

/**
 * Records what a page asks of the API (method, path, status, or the network error) and the errors it logs, from
 * now on. `explain` runs a step and, when it fails, adds that record and the open dialogs and messages to the
 * error: a step that fails only under the full suite's load says in CI what the console saw.
 */
export function watchPage(page: Page): { explain<T>(step: () => Promise<T>): Promise<T> } {
  const started = Date.now();
  const lines: string[] = [];
  const at = () => `+${Date.now() - started} ms`;
  const api = (url: string) => (new URL(url).pathname.startsWith('/api/') ? new URL(url).pathname : undefined);
  page.on('response', (r) => void (api(r.url()) && lines.push(`${at()} ${r.request().method()} ${api(r.url())} → ${r.status()}`)));
  page.on('requestfailed', (r) => void (api(r.url()) && lines.push(`${at()} ${r.method()} ${api(r.url())} failed: ${r.failure()?.errorText}`)));
  page.on('console', (m) => void (m.type() === 'error' && lines.push(`${at()} console error: ${m.text()}`)));
  return {
    async explain<T>(step: () => Promise<T>): Promise<T> {
      try {
        return await step();
      } catch (err) {
        const texts = (selector: string) => page.locator(selector).allTextContents().catch((e: Error) => [`(unread: ${e.message})`]);
        const seen = [`the page's API requests and errors:\n${lines.join('\n') || '(none)'}`, `open dialogs: ${JSON.stringify(await texts('[role="dialog"]'))}`, `messages: ${JSON.stringify(await texts('.ant-message-notice'))}`];
        if (err instanceof Error) err.message += `\n${seen.join('\n')}`;
        throw err;
      }
    },
  };
}

/**
 * Waits until `target` is visible and antd has finished moving it: two readings of its box 100 ms apart agree. A
 * popup or dialog is shown zooming in, and under load a click in its first frames was lost (CI: a dialog's button
 * that sent nothing, a Popconfirm's 确定 that removed nothing).
 */
export async function settled(target: Locator): Promise<Locator> {
  await target.waitFor({ state: 'visible' });
  let last: string | undefined;
  for (let reading = 0; reading < 50; reading++) {
    const box = JSON.stringify(await target.boundingBox());
    if (box === last) break;
    last = box;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return target;
}

/** The open dialog, once it has settled (`settled`). */
export async function openDialog(page: Page): Promise<Locator> {
  return settled(page.getByRole('dialog'));
}

/** Confirms the open Popconfirm (确定) once it has settled, and waits for it to close: a lost click fails here, by name. */
export async function confirmPopup(page: Page): Promise<void> {
  const popup = page.locator('.ant-popconfirm:not(.ant-popover-hidden)');
  await (await settled(popup.getByRole('button', { name: /确\s?定|OK/ }))).click();
  await popup.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Answers a routed API request as the server answers a failure: `status` with the API's error shape. */
export function answerApiError(
  route: Route,
  status: number,
  error: { code: string; message: string; message_zh: string } = { code: 'unavailable', message: 'down', message_zh: '暂停' },
): Promise<void> {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(error) });
}
