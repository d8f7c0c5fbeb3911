import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { AriAdapter } from './adapter.ts';

const sim = await startAriSim({ app: 'stopping', username: 'hotline', password: 'hotline' });
afterFile(() => sim.stop());
const subscribers = () => sim.sendRawFrame(JSON.stringify({ type: 'NodeProbe', application: 'stopping' }), 'stopping');

describe('AriAdapter.stop while it is still connecting', () => {
  // A shutdown during a (re)connect used to wait for a socket opened after it, until the shutdown timeout.
  it.each([0, 5, 20])('stopped %i ms after start: stop() returns, nothing stays connected', async (afterMs) => {
    const ari = new AriAdapter({ url: sim.url, username: 'hotline', password: 'hotline', app: 'stopping', logger: createLogger({ level: 'silent', pretty: false }) });
    ari.start();
    await new Promise((r) => setTimeout(r, afterMs));
    const stopped = await Promise.race([ari.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 3000))]);
    expect(stopped).toBe('stopped');
    expect(ari.connected).toBe(false);
    await expect.poll(() => subscribers(), { timeout: 3000 }).toBe(0);
  });
});
