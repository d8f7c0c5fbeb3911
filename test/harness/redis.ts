import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterFile } from './after-file.ts';
import { freePort, waitForPort } from './net.ts';
import { uniqueName } from './postgres.ts';

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of this test file's own on the shared test Redis; its keys are deleted after the file. */
export function useRedisPrefix(): string {
  const prefix = uniqueName('test');
  afterFile(async () => {
    const redis = new Redis(testRedisUrl);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });
  return prefix;
}

/**
 * A connection in MONITOR mode. ioredis marks it monitoring a microtask after MONITOR's OK, so a command seen in
 * the same read is taken for a reply to nothing and emitted as "Command queue state error" — an uncaught error
 * under load with Redis.monitor(). Those few lines, from before the caller starts, are dropped here.
 */
export async function openMonitor(url = testRedisUrl): Promise<Redis> {
  const monitor = new Redis(url, { monitor: true, lazyConnect: true });
  // Not events.once: it would reject on the race's error.
  let started = false;
  const monitoring = new Promise<void>((resolve, reject) => {
    monitor.once('monitoring', () => {
      started = true;
      resolve();
    });
    monitor.on('error', (err: Error) => {
      if (err.message.startsWith('Command queue state error')) return;
      if (!started) reject(err);
      else throw err;
    });
  });
  await monitor.connect();
  await monitoring;
  return monitor;
}

export interface SpawnedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (e.g. after stop()). */
  restart(): Promise<void>;
}

/** A throwaway redis-server on a free port, for tests that stop Redis or need other settings. */
export async function spawnRedis(extraArgs: string[] = []): Promise<SpawnedRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-redis-'));
  const launch = async () => {
    const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', ...extraArgs], { stdio: 'ignore' });
    await waitForPort(port);
    return child;
  };
  const spawned: SpawnedRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: await launch(),
    stop: async () => {
      const child = spawned.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    },
    restart: async () => {
      spawned.process = await launch();
    },
  };
  afterFile(async () => {
    await spawned.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return spawned;
}
