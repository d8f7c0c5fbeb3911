/** Benchmark support: a throwaway redis-server on a free loopback port, so memory figures are the bench's alone. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../platform/net.ts';
import { waitForPort } from '../test/harness/net.ts';

export interface PrivateRedis {
  url: string;
  /** INFO memory's used_memory, in bytes. */
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts redis-server with no persistence, `noeviction` (a full Redis refuses writes instead of dropping jobs) and `extraArgs`. */
export async function startPrivateRedis(extraArgs: string[] = []): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-redis-'));
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...extraArgs], {
    stdio: 'ignore',
  });
  await waitForPort(port);
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url);
  return {
    url,
    async usedMemory() {
      const info = await admin.info('memory');
      return Number(/^used_memory:(\d+)/m.exec(info)![1]);
    },
    async stop() {
      admin.disconnect();
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
