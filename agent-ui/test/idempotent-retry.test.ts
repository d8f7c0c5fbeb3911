import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import '../../telephony/plugin.ts';
import { tickets } from '../../tickets/tickets.sql.ts';
import { seedCourt, testPassword, useApi } from '../../api/testing/fixtures.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[console retry test skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

describe.skipIf(!enabled)('the console retries a create whose answer was lost, with its Idempotency-Key', () => {
  it('the server did it, the answer never arrived, the console sent it again: one work order', async () => {
    const court = await seedCourt(hotline.deps.db);
    const page = await browser.newPage();
    await browser.clearCookies();
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    const keys: string[] = [];
    await page.route('**/api/tickets', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      await route.fetch(); // the server registers the ticket…
      return route.abort('connectionreset'); // …and the browser never hears of it
    });
    await page.getByLabel('来电号码', { exact: true }).fill('13700002222');
    await page.getByLabel('来电事由（摘要）').fill('答复丢失后重试');
    await page.getByTestId('handoff-judge').click();
    await page.getByTitle(/judge 用户 · 立案庭/).click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByText(/已登记/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await hotline.deps.db.select().from(tickets).where(eq(tickets.summary, '答复丢失后重试'))).toHaveLength(1);
    await page.close();
  });
});
