import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn as apiSignIn, testPassword, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { expireRecordings } from '../../telephony/recordings/jobs.ts';
import { recordedCall } from '../../telephony/recordings/testing/recorded-call.ts';
import { buildConsole } from '../build.ts';
import { browserUnavailableReason, openDialog, screenshot, signIn, useBrowser } from './browser.ts';

const skipReason = browserUnavailableReason();
if (skipReason) console.warn(`[recording retention browser tests skipped] ${skipReason}`);
const enabled = !skipReason;
if (enabled) await buildConsole();
const hotline = enabled ? await useApi({ HOTLINE_ROLES: 'api', HOTLINE_SIGN_IN_RATE_LIMIT: '1000', TELEPHONY_RECORDING_RETENTION_DAYS: '180' }) : (undefined as never);
const browser = enabled ? await useBrowser() : (undefined as never);

// The admin's recording page (录音保存与保全) and the hold on the call page, in Chromium against the real API.
describe.skipIf(!enabled)('recording retention and legal holds in Chromium', () => {
  let court: SeededCourt;
  let adminCookie: string;
  let old: Awaited<ReturnType<typeof recordedCall>>;
  let mid: Awaited<ReturnType<typeof recordedCall>>;
  let gone: Awaited<ReturnType<typeof recordedCall>>;
  const get = (path: string) => call(hotline.url, 'GET', path, { cookie: adminCookie });
  const context = () => serviceOf(hotline.deps, 'telephonyRecordings').context;
  const statusOf = async (callId: string) => (await hotline.deps.db.execute<{ status: string }>(sql`select status::text as status from telephony.recordings where call_id = ${callId}`)).rows[0]?.status;

  beforeAll(async () => {
    court = await seedCourt(hotline.deps.db);
    adminCookie = await apiSignIn(hotline.url, court.users.admin.username);
    const dir = context().dir;
    old = await recordedCall(hotline.deps.db, { courtId: court.courtId, dir, daysAgo: 200 });
    mid = await recordedCall(hotline.deps.db, { courtId: court.courtId, dir, daysAgo: 100, operatorId: court.users.operator.id });
    await recordedCall(hotline.deps.db, { courtId: court.courtId, dir, daysAgo: 10 });
    gone = await recordedCall(hotline.deps.db, { courtId: court.courtId, dir, daysAgo: 300, status: 'removed' });
  }, 60_000);

  it('an admin at 1366×768 sets the days (a value out of range refused), sees the effect at once, holds a recording on the call page and lifts it', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.admin.username, testPassword);
    await page.getByRole('menuitem', { name: '录音保存与保全' }).click();
    await page.waitForURL('**/recording-retention');
    const due = page.getByTestId('retention-due');
    await expect.poll(() => due.textContent()).toBe('1 段');
    expect(await page.getByTestId('retention-changed').textContent()).toContain('采用系统默认 180 天');

    // 20 days: the API's refusal is shown and nothing changes.
    const days = page.getByRole('spinbutton', { name: '保存天数' });
    await days.fill('20');
    await page.getByTestId('retention-save').click();
    await expect.poll(() => page.getByTestId('retention-error').textContent()).toContain('至少 30 天');
    expect((await get('/api/telephony/recording-retention')).body).toMatchObject({ days: 180, own: false });

    // 60 days: previewed before saving (two recordings would go), then saved.
    await days.fill('60');
    await expect.poll(() => page.getByTestId('retention-effect').textContent()).toContain('预览');
    await expect.poll(() => due.textContent()).toBe('2 段');
    await page.getByTestId('retention-save').click();
    await expect.poll(() => page.getByTestId('retention-changed').textContent()).toContain('上次修改');
    expect(await page.getByTestId('retention-effect').textContent()).toContain('当前设置');
    expect((await get('/api/telephony/recording-retention')).body).toMatchObject({ days: 60, own: true });
    await screenshot(page, 'recording-retention-admin-1366x768');

    // The call page: a hold needs a reason; with one, the recording shows as held.
    await page.goto(`${hotline.url}/calls/${mid.callId}`);
    const control = page.getByTestId('call-hold-conversation');
    await control.getByRole('button', { name: '保全录音' }).click();
    const dialog = await openDialog(page);
    await dialog.getByRole('button', { name: /确\s?定|OK/ }).click();
    await expect.poll(() => dialog.getByText('请填写原因', { exact: true }).count()).toBe(1);
    await dialog.getByLabel('原因').fill('当事人投诉，待复查');
    await dialog.getByRole('button', { name: /确\s?定|OK/ }).click();
    await expect.poll(() => control.textContent()).toContain('保全中');
    expect(await control.textContent()).toContain('当事人投诉，待复查');
    expect((await get(`/api/telephony/calls/${mid.callId}/recording-holds`)).body).toEqual([expect.objectContaining({ reason: '当事人投诉，待复查', lifted: null })]);
    await screenshot(page, 'recording-hold-call-page-1366x768');

    // The daily run removes the old recording, keeps the held one.
    expect(await expireRecordings(context())).toBe(1);
    expect([await statusOf(old.callId), await statusOf(mid.callId)]).toEqual(['removed', 'stored']);
    await page.goto(`${hotline.url}/calls/${old.callId}`);
    await expect.poll(() => page.getByTestId('call-no-recording').textContent()).toContain('已超过保存期限并被删除');
    expect(await page.getByTestId('call-hold-conversation').count()).toBe(0);

    // The admin page lists the hold; lifting it asks for a reason and keeps it listed as lifted.
    await page.goto(`${hotline.url}/recording-retention`);
    const holds = page.getByTestId('retention-holds');
    await expect.poll(() => holds.textContent()).toContain('当事人投诉，待复查');
    expect(await page.getByTestId('retention-effect').textContent()).toContain('保全中1 段');
    await holds.getByRole('button', { name: /解除保全/ }).click();
    const lift = await openDialog(page);
    await lift.getByLabel('原因').fill('复查结束');
    await lift.getByRole('button', { name: /确\s?定|OK/ }).click();
    await expect.poll(() => holds.textContent()).toContain('已解除');
    expect(await holds.textContent()).toContain('复查结束');
    await expect.poll(() => due.textContent()).toBe('1 段');
    await screenshot(page, 'recording-retention-holds-1366x768');
    const audit = (await hotline.deps.db.execute<{ action: string }>(sql`select action from api.audit_log where court_id = ${court.courtId} and action like 'recording.hold%' order by id`)).rows.map((r) => r.action);
    expect(audit).toEqual(['recording.hold_placed', 'recording.hold_lifted']);
    await page.close();
  }, 120_000);

  it('at 1920×1080 in English the admin reads the setting, its effect and the lifted hold', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${hotline.url}/recording-retention`);
    await expect.poll(() => page.getByTestId('retention-due').textContent()).toBe('1 段');
    await page.keyboard.press('Alt+L');
    await expect.poll(() => page.getByTestId('recording-retention-page').textContent()).toContain('Recording retention and legal holds');
    expect(await page.getByTestId('retention-effect').textContent()).toContain('Removed at the next run');
    expect(await page.getByTestId('retention-effect').textContent()).toContain('With 60 days (the setting)');
    expect(await page.getByTestId('retention-holds').textContent()).toContain('Lifted');
    await screenshot(page, 'recording-retention-admin-en-1920x1080');
    await page.keyboard.press('Alt+L');
    await page.close();
  }, 60_000);

  it('an operator has no entry, the address sends them home, the call page has no hold control, and the API refuses them', async () => {
    const ctx = await useBrowser();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.operator.username, testPassword);
    await page.waitForURL('**/desk');
    expect(await page.getByRole('menuitem', { name: '录音保存与保全' }).count()).toBe(0);
    await page.goto(`${hotline.url}/recording-retention`);
    await page.waitForURL('**/desk');
    expect(await page.getByTestId('recording-retention-page').count()).toBe(0);
    // The call they answered: its facts, no hold control.
    await page.goto(`${hotline.url}/calls/${mid.callId}`);
    await expect.poll(() => page.getByTestId('call-facts').count()).toBe(1);
    expect(await page.getByTestId('call-holds').count()).toBe(0);
    await screenshot(page, 'recording-retention-operator-refused-1366x768');
    const operator = await apiSignIn(hotline.url, court.users.operator.username);
    expect((await call(hotline.url, 'PUT', '/api/telephony/recording-retention', { cookie: operator, body: { days: 90 } })).status).toBe(403);
    expect((await call(hotline.url, 'POST', `/api/telephony/calls/${gone.callId}/recording-holds`, { cookie: operator, body: { reason: '无权保全' } })).status).toBe(403);
    expect((await get('/api/telephony/recording-retention')).body.days).toBe(60);
    await page.close();
  }, 60_000);

  it('a manager on the call page may lift a head’s hold but not the admin’s: no 解除保全 there, and the API refuses it', async () => {
    const dir = context().dir;
    const byAdmin = await recordedCall(hotline.deps.db, { courtId: court.courtId, dir, daysAgo: 5 });
    const byHead = await recordedCall(hotline.deps.db, { courtId: court.courtId, dir, daysAgo: 5 });
    const headCookie = await apiSignIn(hotline.url, court.users.department_head.username);
    const adminHold = (await call(hotline.url, 'POST', `/api/telephony/calls/${byAdmin.callId}/recording-holds`, { cookie: adminCookie, body: { reason: '案件评查' } })).body[0];
    expect((await call(hotline.url, 'POST', `/api/telephony/calls/${byHead.callId}/recording-holds`, { cookie: headCookie, body: { reason: '庭里复查' } })).status).toBe(201);
    const ctx = await useBrowser();
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, hotline.url, court.users.manager.username, testPassword);
    await page.waitForURL('**/dashboard');
    await page.goto(`${hotline.url}/calls/${byAdmin.callId}`);
    const control = page.getByTestId('call-hold-conversation');
    await expect.poll(() => control.textContent()).toContain('保全中');
    expect(await control.getByRole('button', { name: /解除保全/ }).count()).toBe(0);
    expect(await page.getByTestId('call-hold-conversation-not-yours').textContent()).toContain('由系统管理员保全');
    await screenshot(page, 'recording-hold-not-liftable-manager-1366x768');
    await page.goto(`${hotline.url}/calls/${byHead.callId}`);
    await expect.poll(() => control.getByRole('button', { name: /解除保全/ }).count()).toBe(1);
    const manager = await apiSignIn(hotline.url, court.users.manager.username);
    const refused = await call(hotline.url, 'POST', `/api/telephony/recording-holds/${adminHold.id}/lift`, { cookie: manager, body: { reason: '越级解除' } });
    expect([refused.status, refused.body.code]).toEqual([403, 'hold_lift_not_allowed']);
    expect((await get(`/api/telephony/calls/${byAdmin.callId}/recording-holds`)).body[0].lifted).toBeNull();
    await page.close();
  }, 60_000);
});
