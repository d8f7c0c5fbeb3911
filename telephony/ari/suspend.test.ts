import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { AriAdapter } from './adapter.ts';
import { AriUnavailable } from './errors.ts';

const sim = await startAriSim({ app: 'fence', username: 'hotline', password: 'hotline' });
afterFile(() => sim.stop());
const subscribers = () => sim.sendRawFrame(JSON.stringify({ type: 'NodeProbe', application: 'fence' }), 'fence');

describe('AriAdapter.suspend (fencing a node whose lease was lost)', () => {
  it('closes the event websocket and refuses every command at once; start() connects again', async () => {
    const ari = new AriAdapter({ url: sim.url, username: 'hotline', password: 'hotline', app: 'fence', logger: createLogger({ level: 'silent', pretty: false }) });
    let connects = 0;
    ari.onConnected(() => connects++);
    ari.start();
    await expect.poll(() => ari.connected).toBe(true);
    expect(subscribers()).toBe(1);
    const call = await sim.placeCall({ app: 'fence' });

    ari.suspend();
    expect(ari.connected).toBe(false);
    await expect(ari.execute({ kind: 'hangup', channelId: call.channelId! })).rejects.toBeInstanceOf(AriUnavailable);
    await expect(ari.listChannels()).rejects.toBeInstanceOf(AriUnavailable);
    await expect.poll(() => subscribers(), { timeout: 5000 }).toBe(0);
    // It stays away (no reconnect attempt) while suspended.
    await new Promise((r) => setTimeout(r, 800));
    expect([subscribers(), connects, sim.channels().length]).toEqual([0, 1, 1]);

    ari.start();
    await expect.poll(() => ari.connected).toBe(true);
    expect([subscribers(), connects]).toEqual([1, 2]);
    await ari.execute({ kind: 'hangup', channelId: call.channelId! });
    await expect.poll(() => sim.channels().length).toBe(0);
    await ari.stop();
  });
});
