import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { startAriSim } from '../ari-sim/index.ts';
import { AriAdapter } from './adapter.ts';

describe('ARI down: one line when it goes, one when it is back', () => {
  it('logs the first failed attempt as a warning, the same failure again only at debug, and the reconnection once', async () => {
    const sim = await startAriSim({ app: 'quiet', username: 'hotline', password: 'hotline' });
    afterAll(() => sim.stop());
    await sim.stopAsterisk();
    const lines: Array<{ level: number; msg: string; after?: string }> = [];
    const logger = createLogger({ level: 'debug', pretty: false }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const adapter = new AriAdapter({ url: sim.url, username: 'hotline', password: 'hotline', app: 'quiet', logger, backoffCapMs: 50 });
    afterAll(() => adapter.stop());
    adapter.start();
    await expect.poll(() => adapter.attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);

    const warnings = lines.filter((l) => l.level >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain('ARI connection attempt failed');
    expect(lines.filter((l) => l.msg.startsWith('ARI connection attempt failed') && l.level === 20).length).toBeGreaterThanOrEqual(4);
    expect(adapter.lastError).toContain('no ARI answers at');

    await sim.startAsterisk();
    await expect.poll(() => adapter.connected, { timeout: 10_000 }).toBe(true);
    const back = lines.filter((l) => l.msg === 'ARI connected');
    expect(back).toHaveLength(1);
    expect(back[0]!.after).toContain('no ARI answers at');
    expect(lines.filter((l) => l.level >= 40)).toHaveLength(1);
    expect(adapter.lastError).toBeNull();
  });
});
