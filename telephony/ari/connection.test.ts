import { describe, expect, it } from 'vitest';
import { getJson } from '../../test/harness/hotline.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

const t = await useTelephonyOverSim({ simDown: true });

describe('ARI connection over the stand-in', () => {
  it('starts while Asterisk is down, keeps retrying, reports not ready, then connects and takes calls', async () => {
    const down = await getJson(`${t.url}/readyz`);
    expect(down.status).toBe(503);
    expect(down.body.checks.ari).toMatchObject({ ok: false, error: expect.stringContaining('not connected') });
    await expect.poll(() => t.rt.ari.attempts, { timeout: 5000 }).toBeGreaterThan(1);
    // The reason is in /readyz, not only in the log: here nothing answers at the address.
    expect((await getJson(`${t.url}/readyz`)).body.checks.ari.error).toMatch(/not connected \(attempt \d+\): no ARI answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);

    await t.sim.startAsterisk();
    await expect.poll(() => t.rt.ari.connected, { timeout: 15_000 }).toBe(true);
    expect((await getJson(`${t.url}/readyz`)).body.checks.ari.ok).toBe(true);
    expect(t.rt.ari.lastError).toBeNull();

    const call = await t.sim.placeCall({ from: '13800000010' });
    expect(call.accepted).toBe(true);
    call.hangup();
    expect(await t.closedCall(call.channelId)).toMatchObject({ outcome: 'abandoned_in_menu', hangup_by: 'caller' });
  });

  it('reconnects after the websocket drops mid-call; the call goes on, and one hung up meanwhile is closed', async () => {
    const staying = await t.sim.placeCall({ from: '13800000011' });
    const leaving = await t.sim.placeCall({ from: '13800000012' });
    for (const c of [staying, leaving]) await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === c.channelId && e.channel.state === 'Up', { includePast: true });

    t.sim.dropWebsocket();
    await expect.poll(() => t.rt.ari.connected).toBe(false);
    leaving.hangup(); // its events are lost: ARI replays nothing
    await expect.poll(() => t.rt.ari.connected, { timeout: 15_000 }).toBe(true);

    expect(await t.closedCall(leaving.channelId)).toMatchObject({ outcome: 'abandoned_in_menu', hangup_by: 'caller' });
    await staying.pressDigits('2');
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length).toBe(1);
    staying.hangup();
    expect(await t.closedCall(staying.channelId)).toMatchObject({ outcome: 'abandoned_in_queue', skill: 'enquiry' });
  });
});
