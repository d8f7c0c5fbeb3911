/**
 * Console size: `npx tsx bench/console-size.ts`. How much script the console's first screen (sign-in) brings over
 * the wire, compressed as the server sends it, and how long Chromium takes to show it, beside a blank page served
 * from this machine in the same run (the baseline: what any page costs here). Then, for information, what each
 * role's first page after sign-in adds. Cold cache every round (a new browser context). Target: ≤ 300 KB of
 * compressed script for the first screen (issue 21). Writes its section of docs/performance.md.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { testPassword } from '../api/testing/fixtures.ts';
import { buildConsole } from '../agent-ui/build.ts';
import { chromiumPath } from '../agent-ui/test/browser.ts';
import { startApiBench } from './api-setup.ts';
import { machineLoadNote, quantile, writePerformanceSection } from './write-section.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

interface Load {
  ms: number;
  scriptBytes: number;
  scripts: number;
}

/**
 * Runs `action` on `page` and times it; the wire bytes of every script the page fetched meanwhile, each size awaited
 * (read before they all resolve, a fast page's chunks went uncounted).
 */
async function measureScripts(page: Page, action: () => Promise<unknown>): Promise<Load> {
  const sizes: Array<Promise<number>> = [];
  const onFinished = (request: Request) => {
    if (request.resourceType() === 'script') sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  };
  page.on('requestfinished', onFinished);
  const started = performance.now();
  try {
    await action();
  } finally {
    page.off('requestfinished', onFinished);
  }
  const ms = performance.now() - started;
  const bytes = await Promise.all(sizes);
  return { ms, scriptBytes: bytes.reduce((a, b) => a + b, 0), scripts: bytes.length };
}

/** Opens `url` in a fresh context and waits for `ready`, measuring the scripts on the way. */
async function load(browser: Browser, url: string, ready: (page: Page) => Promise<unknown>): Promise<Load & { page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const measured = await measureScripts(page, async () => {
    await page.goto(url);
    await ready(page);
  });
  return { ...measured, page };
}

async function main(): Promise<void> {
  const machine = await machineLoadNote();
  await buildConsole();
  const bench = await startApiBench();
  const blankServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>blank</title></head><body><p>blank</p></body></html>'));
  blankServer.listen(0, '127.0.0.1');
  await once(blankServer, 'listening');
  const blankUrl = `http://127.0.0.1:${(blankServer.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const signInReady = (page: Page) => page.getByRole('button', { name: /^登\s?录$/ }).waitFor();
  const blank: Load[] = [];
  const first: Load[] = [];
  const after: Record<string, Load[]> = { operator: [], judge: [], manager: [], admin: [] };
  try {
    for (let i = 0; i < rounds + 1; i++) {
      const b = await load(browser, blankUrl, (page) => page.getByText('blank').waitFor());
      const c = await load(browser, `${bench.hotline.url}/`, signInReady);
      await b.page.context().close();
      // Round 0 warms the server and the disk cache; not counted.
      if (i > 0) {
        blank.push(b);
        first.push(c);
      }
      const role = (['operator', 'judge', 'manager', 'admin'] as const)[i % 4]!;
      const page = c.page;
      const measured = await measureScripts(page, async () => {
        await page.getByLabel('用户名').fill(bench.court.users[role].username);
        await page.getByLabel('密码').fill(testPassword);
        await page.getByRole('button', { name: /^登\s?录$/ }).click();
        await page.getByRole('menu').first().waitFor();
        await page.waitForLoadState('networkidle');
      });
      if (i > 0) after[role]!.push(measured);
      await page.context().close();
    }
  } finally {
    await browser.close();
    blankServer.close();
    await bench.close();
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const firstKb = median(first.map((l) => l.scriptBytes)) / 1024;
  const ratio = median(first.map((l) => l.ms)) / median(blank.map((l) => l.ms));
  const rows = Object.entries(after)
    .filter(([, loads]) => loads.length > 0)
    .map(([role, loads]) => `| ${role}'s first page after sign-in (adds) | ${kb(median(loads.map((l) => l.scriptBytes)))} | ${median(loads.map((l) => l.scripts))} | ${median(loads.map((l) => l.ms)).toFixed(0)} |`);
  const body = `## Console size: the first screen's script, compressed, in Chromium

Run with \`npx tsx bench/console-size.ts\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine}). Chromium (Debian's) at
1366×768 with a cold cache each round (a new context), ${rounds} rounds after one warm-up, medians. Bytes are what
came over the wire for scripts (body as sent, Brotli from the build's precompressed files, plus headers). The
baseline is a blank page from a plain Node server on this machine, loaded in the same rounds.

| | script over the wire (KB) | scripts | time to usable (ms) |
|---|---|---|---|
| blank page (baseline) | 0.0 | 0 | ${median(blank.map((l) => l.ms)).toFixed(0)} |
| **console sign-in screen** | **${firstKb.toFixed(1)}** | ${median(first.map((l) => l.scripts))} | ${median(first.map((l) => l.ms)).toFixed(0)} |
${rows.join('\n')}

**First screen: ${firstKb.toFixed(1)} KB of compressed script** (target ≤ 300 KB: **${firstKb <= 300 ? 'met' : 'missed'}**); it is usable
${ratio.toFixed(2)}× the blank page's time. Every page but sign-in is a lazy chunk (agent-ui/src/App.tsx); the softphone
and the charts load only with the desk and the KPI/wallboard pages.`;
  console.log(body);
  console.log('wrote', writePerformanceSection('console-size', body));
  process.exit(0);
}

await main();
