import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';
import { AriAdapter } from './adapter.ts';
import type { AriEvent } from './types.ts';

describe('ARI adapter faults over a real websocket to the stand-in', () => {
  it('a frozen websocket (no pong) is detected by the ping, closed and rebuilt; events flow on the new one', async () => {
    const sim = await startAriSim({ app: 'faults', username: 'hotline', password: 'hotline' });
    afterAll(() => sim.stop());
    const adapter = new AriAdapter({ url: sim.url, username: 'hotline', password: 'hotline', app: 'faults', logger: createLogger({ level: 'silent', pretty: false }), pingIntervalMs: 150 });
    afterAll(() => adapter.stop());
    const events: AriEvent[] = [];
    let connects = 0;
    adapter.onEvent((e) => events.push(e));
    adapter.onConnected(() => connects++);
    adapter.start();
    await expect.poll(() => adapter.connected, { timeout: 5000 }).toBe(true);

    expect(sim.freezeWebsocket()).toBe(1);
    const frozenCall = await sim.placeCall({ from: '13800000050' }); // its StasisStart is lost on the frozen link
    await expect.poll(() => adapter.connected, { timeout: 2000, interval: 10 }).toBe(false);
    await expect.poll(() => connects, { timeout: 5000 }).toBe(2);
    expect(events.some((e) => e.type === 'StasisStart' && e.channel.id === frozenCall.channelId)).toBe(false);

    const call = await sim.placeCall({ from: '13800000051' });
    await expect.poll(() => events.some((e) => e.type === 'StasisStart' && e.channel.id === call.channelId)).toBe(true);
    expect((await adapter.listChannels()).map((c) => c.id)).toContain(frozenCall.channelId);
  });
});

const t = await useTelephonyOverSim();

describe('malformed events over the live socket of a running hotline', () => {
  it('logs and skips each one, keeps the same socket and goes on handling calls', async () => {
    let reconnects = 0;
    t.rt.ari.onConnected(() => reconnects++);
    const frames = [
      'not json at all {',
      '[]',
      '{"no":"type"}',
      '{"type":"StasisStart","timestamp":"x"}',
      '{"type":"ChannelDtmfReceived","channel":{"id":42},"digit":"1"}',
      '{"type":"PlaybackFinished","playback":"oops"}',
      '{"type":"SomethingNew","channel":{"id":"x"}}',
    ];
    for (const frame of frames) expect(t.sim.sendRawFrame(frame)).toBe(1);
    const call = await t.sim.placeCall({ from: '13800000052' });
    expect(call.accepted).toBe(true);
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === call.channelId && e.channel.state === 'Up', { includePast: true });
    call.hangup();
    expect(await t.closedCall(call.channelId)).toMatchObject({ outcome: 'abandoned_in_menu', hangup_by: 'caller' });
    // Still the first connection: nothing was torn down by the bad frames.
    expect(t.rt.ari.connected).toBe(true);
    expect(reconnects).toBe(0);
  });
});
