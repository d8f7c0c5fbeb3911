import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startAriSim, type AriSim } from '../ari-sim/index.ts';
import { AriAdapter, type AriAdapterOptions } from './adapter.ts';
import { AriUnavailable } from './errors.ts';

const logger = createLogger({ level: 'silent', pretty: false });
let sim: AriSim | undefined;
let adapter: AriAdapter | undefined;
afterEach(async () => {
  await adapter?.stop();
  await sim?.stop();
  adapter = sim = undefined;
});

async function connected(app: string, options: Partial<AriAdapterOptions> = {}) {
  sim = await startAriSim({ app, username: 'hotline', password: 'hotline', sounds: { 'long-prompt': 60_000 } });
  adapter = new AriAdapter({ url: sim.url, username: 'hotline', password: 'hotline', app, logger, pingIntervalMs: 200, ...options });
  adapter.start();
  await expect.poll(() => adapter!.connected, { timeout: 5000 }).toBe(true);
  return { sim, adapter };
}

describe('the adapter sends REST over the event websocket where Asterisk answers there (socket-rest.ts)', () => {
  it('switches to the socket once the ping is answered, and its commands take effect', async () => {
    const { sim, adapter } = await connected('wsrest-on');
    await expect.poll(() => adapter.restTransport, { timeout: 5000 }).toBe('websocket');
    const call = await sim.placeCall({ from: '13800000201' });
    await adapter.execute({ kind: 'answer', channelId: call.channelId! });
    expect(sim.channels().find((c) => c.id === call.channelId)?.state).toBe('Up');
    await adapter.execute({ kind: 'startMoh', channelId: call.channelId! });
    expect(call.treatment.moh).not.toBeNull();
    expect((await adapter.listChannels()).map((c) => c.id)).toEqual([call.channelId]);
  });

  it('a frozen socket leaves a command unanswered: it fails as AriUnavailable after the timeout (it went over the socket); one that waits on a channel playing a prompt goes over HTTP', async () => {
    const { sim, adapter } = await connected('wsrest-frozen', { commandTimeoutMs: 300, pingIntervalMs: 60_000 });
    await expect.poll(() => adapter.restTransport, { timeout: 5000 }).toBe('websocket');
    const call = await sim.placeCall({ from: '13800000202' });
    await adapter.execute({ kind: 'answer', channelId: call.channelId! });
    // A long prompt on the channel: Asterisk's channel thread is busy until it ends.
    await adapter.execute({ kind: 'play', channelId: call.channelId!, playbackId: 'p-long', media: ['sound:long-prompt'] });
    sim.freezeWebsocket();
    const started = Date.now();
    await expect(adapter.execute({ kind: 'startMoh', channelId: call.channelId! })).rejects.toBeInstanceOf(AriUnavailable);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(call.treatment.moh).toBeNull();
    // A channel variable on the busy channel waits on its thread in Asterisk, so it goes over HTTP: answered.
    await adapter.execute({ kind: 'setVariable', channelId: call.channelId!, name: 'HOTLINE_TEST', value: 'busy' });
    // On a channel that is not busy, the same request goes over the (frozen) socket.
    const idle = await sim.placeCall({ from: '13800000212' });
    await expect(adapter.execute({ kind: 'setVariable', channelId: idle.channelId!, name: 'HOTLINE_TEST', value: 'idle' })).rejects.toBeInstanceOf(AriUnavailable);
  });

  it('a socket that drops fails the commands in flight at once, and the next socket carries them again', async () => {
    const { sim, adapter } = await connected('wsrest-drop', { commandTimeoutMs: 60_000, pingIntervalMs: 60_000 });
    await expect.poll(() => adapter.restTransport, { timeout: 5000 }).toBe('websocket');
    const call = await sim.placeCall({ from: '13800000203' });
    await adapter.execute({ kind: 'answer', channelId: call.channelId! });
    sim.freezeWebsocket();
    const inFlight = adapter.execute({ kind: 'startMoh', channelId: call.channelId! });
    const started = Date.now();
    sim.dropWebsocket();
    await expect(inFlight).rejects.toBeInstanceOf(AriUnavailable);
    // Far under the 60 s timeout: the close settled it.
    expect(Date.now() - started).toBeLessThan(5000);
    await expect.poll(() => adapter.connected, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => adapter.restTransport, { timeout: 5000 }).toBe('websocket');
    await adapter.execute({ kind: 'startMoh', channelId: call.channelId! });
    expect(call.treatment.moh).not.toBeNull();
  });

  it('ARI_REST_OVER_WEBSOCKET=false keeps HTTP: a frozen socket does not hold a command', async () => {
    const { sim, adapter } = await connected('wsrest-off', { restOverWebsocket: false, pingIntervalMs: 60_000 });
    const call = await sim.placeCall({ from: '13800000204' });
    sim.freezeWebsocket();
    await adapter.execute({ kind: 'answer', channelId: call.channelId! });
    expect(adapter.restTransport).toBe('http');
    expect(sim.channels().find((c) => c.id === call.channelId)?.state).toBe('Up');
  });
});
