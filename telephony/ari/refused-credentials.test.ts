import { describe, expect, it } from 'vitest';
import { getJson } from '../../test/harness/hotline.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// The stand-in is up and answers, but with other credentials than the hotline's.
const t = await useTelephonyOverSim({ simDown: true, env: { ARI_PASSWORD: 'not-the-password' } });

describe('ARI refusing the credentials', () => {
  it('says so in /readyz, naming the settings to check, and keeps retrying', async () => {
    await t.sim.startAsterisk();
    await expect
      .poll(async () => (await getJson(`${t.url}/readyz`)).body.checks.ari.error as string, { timeout: 10_000 })
      .toContain('refused the credentials: check ARI_USERNAME and ARI_PASSWORD');
    expect((await getJson(`${t.url}/readyz`)).status).toBe(503);
    const attempts = t.rt.ari.attempts;
    await expect.poll(() => t.rt.ari.attempts, { timeout: 10_000 }).toBeGreaterThan(attempts);
    expect(t.rt.ari.connected).toBe(false);
  });
});
