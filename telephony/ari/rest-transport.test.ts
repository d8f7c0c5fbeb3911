import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { startAriResetProxy } from '../test/ari-reset-proxy.ts';
import { AriAdapter, type AriAdapterOptions } from './adapter.ts';
import { AriGone, AriUnavailable } from './errors.ts';

const logger = createLogger({ level: 'silent', pretty: false });

/** Over HTTP, the transport this file is about (REST over the websocket: ws-rest.test.ts). */
async function connected(options: Omit<AriAdapterOptions, 'logger'>): Promise<AriAdapter> {
  const adapter = new AriAdapter({ restOverWebsocket: false, ...options, logger });
  afterAll(() => adapter.stop());
  adapter.start();
  await expect.poll(() => adapter.connected, { timeout: 5000 }).toBe(true);
  return adapter;
}

/** A stand-in Asterisk with a relay in front that counts connections and can reset requests. */
async function simBehindProxy(app: string) {
  const sim = await startAriSim({ app, username: 'hotline', password: 'hotline' });
  const proxy = await startAriResetProxy(Number(new URL(sim.url).port));
  afterAll(async () => {
    await proxy.close();
    await sim.stop();
  });
  return { sim, proxy, url: `http://127.0.0.1:${proxy.port}` };
}

describe("ari-client's REST requests through the adapter's transport", () => {
  it('two Asterisks with their own credentials in one process: each gets its own (ari-client alone sends the last one connected to both)', async () => {
    const first = await startAriSim({ app: 'creds-a', username: 'court-a', password: 'secret-a' });
    const second = await startAriSim({ app: 'creds-b', username: 'court-b', password: 'secret-b' });
    afterAll(() => Promise.all([first.stop(), second.stop()]));
    const a = await connected({ url: first.url, username: 'court-a', password: 'secret-a', app: 'creds-a' });
    const b = await connected({ url: second.url, username: 'court-b', password: 'secret-b', app: 'creds-b' });
    const onFirst = await first.placeCall({ from: '13800000071' });
    expect((await a.listChannels()).map((c) => c.id)).toEqual([onFirst.channelId]);
    expect(await b.listChannels()).toEqual([]);
    await a.execute({ kind: 'answer', channelId: onFirst.channelId! });
    await expect(b.execute({ kind: 'answer', channelId: onFirst.channelId! })).rejects.toBeInstanceOf(AriGone);
  });

  it('a request whose connection is reset fails with AriUnavailable instead of hanging until a timeout', async () => {
    const { sim, proxy, url } = await simBehindProxy('reset');
    // A timeout far beyond the test's own: only a request that settles on the reset can pass.
    const adapter = await connected({ url, username: 'hotline', password: 'hotline', app: 'reset', commandTimeoutMs: 60_000 });
    const call = await sim.placeCall({ from: '13800000072' });
    proxy.resetRequests(/answer/);
    await expect(adapter.execute({ kind: 'answer', channelId: call.channelId! })).rejects.toBeInstanceOf(AriUnavailable);
    proxy.resetRequests(false);
    await adapter.execute({ kind: 'answer', channelId: call.channelId! });
  });

  it('keeps connections alive and opens at most maxConnections, however many requests are in flight', async () => {
    const { sim, proxy, url } = await simBehindProxy('capped');
    const adapter = await connected({ url, username: 'hotline', password: 'hotline', app: 'capped', maxConnections: 3 });
    const calls = await Promise.all(Array.from({ length: 30 }, (_, i) => sim.placeCall({ from: `1380000010${i}` })));
    await Promise.all(calls.map((c) => adapter.execute({ kind: 'answer', channelId: c.channelId! })));
    await Promise.all(calls.map((c) => adapter.execute({ kind: 'setVariable', channelId: c.channelId!, name: 'HOTLINE_TEST', value: '1' })));
    // The event websocket, the adapter's and ari-client's own checks that the description answers (one request
    // each, outside the transport), and at most 3 for the description's load and then 60 commands, 30 at a time.
    expect(proxy.connections()).toBeLessThanOrEqual(6);
  });
});
