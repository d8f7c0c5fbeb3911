import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sentinelAvailable, useSentinelSet } from '../../test/harness/sentinel.ts';
import { createLogger } from '../logger.ts';
import { openRedis } from './open.ts';

/** openRedis behind sentinels: the start-up's word on min-replicas-to-write, and its error when no master answers. */
function capturingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = createLogger({ level: 'info', pretty: false }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, warnings: () => lines.filter((l) => l.level === 40).map((l) => l.msg) };
}
const dataDir = () => mkdtempSync(join(tmpdir(), 'hotline-data-'));
const settings = (sentinels: string, master: string) => ({
  url: 'redis://127.0.0.1:1',
  autostart: true,
  prefix: 'hotline',
  sentinels: sentinels.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })),
  sentinelMaster: master,
  sentinelTls: false,
});

describe.skipIf(!sentinelAvailable())('openRedis with sentinels', () => {
  it('connects to the master they name, and warns when that master has no min-replicas-to-write', async () => {
    const plain = await useSentinelSet('plain', { minReplicasToWrite: 0 });
    const { logger, warnings } = capturingLogger();
    const opened = await openRedis(settings(plain.sentinels, 'plain'), dataDir(), logger);
    expect(opened.privateServer).toBeUndefined();
    expect(await opened.redis.config('GET', 'port')).toEqual(['port', String(plain.servers[0]!.port)]);
    expect(opened.url).toBe(`the master "plain" of the sentinels ${plain.sentinels}`);
    expect(warnings()).toEqual([expect.stringMatching(/no min-replicas-to-write.*Fix: set "min-replicas-to-write 1"/)]);
    opened.redis.disconnect();

    const guarded = await useSentinelSet('guarded');
    const second = capturingLogger();
    const ok = await openRedis(settings(guarded.sentinels, 'guarded'), dataDir(), second.logger);
    expect(second.warnings()).toEqual([]);
    ok.redis.disconnect();
  });

  it('fails with the sentinels and the master name when they know no such master, never starting a private Redis', async () => {
    const set = await useSentinelSet('known');
    const { logger } = capturingLogger();
    await expect(openRedis(settings(set.sentinels, 'unknown'), dataDir(), logger)).rejects.toThrow(
      /No Redis master answers as the master "unknown" of the sentinels 127\.0\.0\.1:\d+,.*Fix: check that the sentinels run and monitor "unknown"/,
    );
  });
});
