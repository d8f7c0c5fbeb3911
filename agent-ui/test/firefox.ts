/**
 * Test support: Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi (Playwright needs its own
 * patched Firefox; ESR speaks BiDi natively, so nothing is downloaded), offline, quiet and with fake media devices.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { artifactsDir } from './browser.ts';

export const firefoxPath = '/usr/bin/firefox-esr';

/** Why the Firefox test cannot run here, or undefined when it can. In CI (.ci/run installs it) a missing Firefox fails. */
export function firefoxUnavailableReason(): string | undefined {
  if (existsSync(firefoxPath)) return undefined;
  if (process.env.CI) return undefined; // let launching fail loudly
  return `${firefoxPath} is missing: install it with "apt-get install -y firefox-esr" (.ci/run does) to run the console's Firefox test`;
}

// Only loopback traffic: no telemetry, updates, captive-portal or connectivity probes, DoH, prefetching or remote settings.
const quietPrefs: Record<string, unknown> = {
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.staging.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'datareporting.usage.uploadEnabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.discovery.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.trr.mode': 5,
  'network.proxy.type': 0,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'services.sync.engine.addons': false,
  'identity.fxaccounts.enabled': false,
};

// The softphone's microphone: a fake device, granted without a prompt; the ring tone may play without a gesture.
const mediaPrefs: Record<string, unknown> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
};

/** A headless Firefox ESR with a fresh profile for this file; closed after it. */
export async function useFirefox(): Promise<Browser> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath,
    headless: true,
    extraPrefsFirefox: { ...quietPrefs, ...mediaPrefs, 'intl.accept_languages': 'zh-CN, zh', 'intl.locale.requested': 'zh-CN' },
    defaultViewport: { width: 1366, height: 860 },
    env: { ...process.env, TZ: 'Asia/Shanghai', MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  afterAll(() => browser.close());
  return browser;
}

export async function firefoxScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `firefox-${name}.png`) as `${string}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The text of the first element matching selector, or '' while there is none. */
export async function textOf(page: Page, selector: string): Promise<string> {
  // A string, not a function: the test files are type-checked without the DOM library.
  return page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`) as Promise<string>;
}

/** Signs in through the sign-in page, typing as a person would. */
export async function signInFirefox(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector('input[autocomplete="username"]');
  await page.type('input[autocomplete="username"]', username);
  await page.type('input[autocomplete="current-password"]', password);
  await page.click('button[type="submit"]');
}
