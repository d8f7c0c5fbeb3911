import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// The recording notice (本次通话可能被录音…) before the menu: a court setting, off by default, taken by the next call.
const t = await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony' } });
const managerId = randomUUID();
await t.pgc.query(`insert into platform.users (id, court_id, username, display_name, role) values ($1, $2, 'mgr-notice', '王主任', 'manager')`, [managerId, t.courtId]);
const cookie = await sessionCookieFor(t.hotline.deps.db, managerId);

async function firstPrompts(from: string): Promise<string[]> {
  const caller = await t.sim.placeCall({ from });
  const started = (e: any) => e.playback?.target_uri === `channel:${caller.channelId}`;
  await t.sim.waitFor('PlaybackStarted', started, { includePast: true, timeoutMs: 5000 });
  const media = t.sim.events().filter((e) => e.event.type === 'PlaybackStarted' && started(e.event)).map((e) => String((e.event.playback as any).media_uri));
  caller.hangup();
  await t.closedCall(caller.channelId);
  return media[0]!.split(',').map((uri) => uri.slice(uri.lastIndexOf('/') + 1));
}

describe('recording notice before the menu', () => {
  it('is off until a manager turns it on, then plays before the greeting', async () => {
    expect(await firstPrompts('13800002311')).toEqual(['welcome', 'menu']);
    expect(await call(t.url, 'PUT', '/api/telephony/call-settings', { cookie, body: { recordingNotice: true } })).toMatchObject({ status: 200, body: { recordingNotice: true, supervisionNotice: false } });
    await expect.poll(() => firstPrompts('13800002312'), { timeout: 8000 }).toEqual(['recording-notice', 'welcome', 'menu']);
    await call(t.url, 'PUT', '/api/telephony/call-settings', { cookie, body: { recordingNotice: false } });
    await expect.poll(() => firstPrompts('13800002313'), { timeout: 8000 }).toEqual(['welcome', 'menu']);
  });
});
