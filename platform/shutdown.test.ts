import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../test/harness/database.ts';
import { getJson, useHotline } from '../test/harness/hotline.ts';
import { freePort } from '../test/harness/net.ts';
import { testRedisUrl, useRedisPrefix } from '../test/harness/redis.ts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { processAlive } from './redis/private-server.ts';
import { bundleEntry } from './build-server.ts';
import { serverNodeFlags } from './runtime/node-flags.ts';

describe('graceful shutdown', () => {
  it('finishes the job in hand before it stops, and leaves the next one waiting', async () => {
    const prefix = useRedisPrefix();
    const hotline = await useHotline({ DATABASE_URL: await useTestDatabase(), REDIS_PREFIX: prefix });
    const finished: string[] = [];
    let started!: () => void;
    const jobStarted = new Promise<void>((resolve) => (started = resolve));
    hotline.deps.queues.work('shutdown-test', {
      slow: async (job) => {
        started();
        await new Promise((r) => setTimeout(r, 500));
        finished.push(String(job.id));
      },
    });
    const queue = hotline.deps.queues.queue('shutdown-test');
    await queue.add('slow', {}, { jobId: 'in-hand' });
    await jobStarted;
    await queue.add('slow', {}, { jobId: 'next' });
    await hotline.stop();
    expect(finished).toEqual(['in-hand']);

    // The job that was not yet taken is still waiting in Redis for the next worker.
    const connection = new Redis(testRedisUrl);
    const after = new Queue('shutdown-test', { connection, prefix });
    expect(await after.getJobState('in-hand')).toBe('completed');
    expect(await after.getJobState('next')).toBe('waiting');
    await after.close();
    connection.disconnect();
  });
});

describe('the process (npm start) with no environment set', () => {
  // What npm start runs: the compiled server (prestart builds it).
  let mainJs = '';
  beforeAll(async () => {
    mainJs = await bundleEntry('main.ts');
  });
  it('comes up on PGlite and a private Redis, reports ready, and exits 0 on SIGTERM, stopping its Redis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-process-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOTLINE_PORT: String(await freePort()),
      // Nothing answers here, so the start command must launch its own redis-server.
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      HOTLINE_ROLES: 'api,workers',
    };
    const child = spawn(process.execPath, [...serverNodeFlags, mainJs], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const base = `http://127.0.0.1:${env.HOTLINE_PORT}`;
    const deadline = Date.now() + 100_000;
    while (!output.includes('hotline ready') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('hotline ready');

    const ready = await getJson(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ database: { ok: true }, redis: { ok: true } });
    expect(existsSync(join(dir, 'data/pglite'))).toBe(true);
    const redisPid = Number(readFileSync(join(dir, 'data/redis/redis.pid'), 'utf8'));
    expect(processAlive(redisPid)).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('stopped cleanly');
    expect(processAlive(redisPid)).toBe(false);
  }, 120_000); // a cold start applies every capability's migrations to a new PGlite database

  it('stops at start-up with exit 1 and a message naming a bad variable', async () => {
    const child = spawn(process.execPath, [...serverNodeFlags, mainJs], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH, HOTLINE_PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('HOTLINE_PORT="eighty"');
    expect(stderr).toContain('Fix: set HOTLINE_PORT to a port number');
  });
});
