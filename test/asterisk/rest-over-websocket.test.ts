import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { AriAdapter } from '../../telephony/ari/adapter.ts';
import { AriEndpointUnavailable, AriGone, AriUnavailable } from '../../telephony/ari/errors.ts';
import { startAriResetProxy, type AriResetProxy } from '../../telephony/test/ari-reset-proxy.ts';
import { realAsteriskMissing, startAsterisk, type AsteriskInstance } from './asterisk-instance.ts';

/**
 * ARI REST over WebSocket on a real Asterisk 22: the adapter's requests go over the event websocket once Asterisk
 * answered its ping there. Proven by a relay in front of Asterisk's HTTP port that resets every HTTP request: over
 * the socket, commands still work and map Asterisk's errors as over HTTP; pinned to HTTP, the same commands fail.
 * Runs when `asterisk` and `sipp` are on the PATH.
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/rest-over-websocket.test.ts skipped: ${missing}`);

const logger = createLogger({ level: 'silent', pretty: false });
let asterisk: AsteriskInstance;
let relay: AriResetProxy;
const adapters: AriAdapter[] = [];

async function connect(restOverWebsocket: boolean): Promise<AriAdapter> {
  const adapter = new AriAdapter({ url: `http://127.0.0.1:${relay.port}`, username: 'hotline', password: 'hotline', app: 'hotline12368', logger, restOverWebsocket, commandTimeoutMs: 2000 });
  adapters.push(adapter);
  adapter.start();
  await expect.poll(() => adapter.connected, { timeout: 10_000 }).toBe(true);
  return adapter;
}

describe.skipIf(!!missing)('ARI REST over the event websocket, on a real Asterisk', () => {
  afterAll(async () => {
    for (const a of adapters) await a.stop();
    await relay?.close();
    await asterisk?.stop();
  });

  it('carries every command once Asterisk answered the ping: HTTP reset throughout, commands still answered', async () => {
    asterisk = await startAsterisk();
    relay = await startAriResetProxy(asterisk.httpPort);
    const adapter = await connect(true);
    await expect.poll(() => adapter.restTransport, { timeout: 5000 }).toBe('websocket');
    relay.resetRequests(true);
    const faultedBefore = relay.faulted();
    expect(await adapter.listChannels()).toEqual([]);
    expect(await adapter.listBridges()).toEqual([]);
    expect(await adapter.appChannelIds()).toEqual([]);
    expect((await adapter.onlineEndpoints()).length).toBeGreaterThanOrEqual(0);
    // Asterisk's errors arrive as a RESTResponse's status and body and map as over HTTP.
    await expect(adapter.execute({ kind: 'startMoh', channelId: 'no-such-channel' })).rejects.toBeInstanceOf(AriGone);
    await expect(adapter.execute({ kind: 'answer', channelId: 'no-such-channel' })).rejects.toBeInstanceOf(AriGone);
    await expect(adapter.execute({ kind: 'originate', channelId: 'ws-o-1', endpoint: 'PJSIP/no-such-phone', callerId: '12368' } as never)).rejects.toBeInstanceOf(AriEndpointUnavailable);
    expect(await adapter.liveRecordingTarget('no-such-recording')).toBeNull();
    // Not one request reached the HTTP relay since the fault went on.
    expect(relay.faulted() - faultedBefore).toBe(0);
    relay.resetRequests(false);
  });

  it('pinned to HTTP (ARI_REST_OVER_WEBSOCKET=false), the same relay fails the same commands: the fault is real', async () => {
    // The transport is per Asterisk in a process: the first adapter's socket would carry this one's requests too.
    for (const a of adapters.splice(0)) await a.stop();
    const adapter = await connect(false);
    expect(adapter.restTransport).toBe('http');
    relay.resetRequests(true);
    try {
      await expect(adapter.listChannels()).rejects.toBeInstanceOf(AriUnavailable);
      await expect(adapter.execute({ kind: 'answer', channelId: 'no-such-channel' })).rejects.toBeInstanceOf(AriUnavailable);
      expect(relay.faulted()).toBeGreaterThanOrEqual(2);
    } finally {
      relay.resetRequests(false);
    }
  });
});
