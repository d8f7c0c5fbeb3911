import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../logger.ts';
import { accepts, freePort } from '../net.ts';

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Memory settings the hotline wants from any Redis it runs (also in docker-compose.yml). BullMQ stores each job as
 * a hash whose opts and data values are longer than Redis's default 64-byte listpack limit, which makes every
 * delayed job a full hashtable: ~1,050 bytes per pending deadline timer instead of ~690 (bench/tickets-timers.ts).
 */
export const redisMemorySettings = ['--hash-max-listpack-value', '256'];

/**
 * Launches a redis-server owned by this process: append-only file on, data in <dataDir>/redis,
 * noeviction, listening on a free loopback port. It is stopped (and flushes its AOF) on shutdown.
 */
export async function startPrivateRedis(dataDir: string, logger: Logger): Promise<PrivateRedis> {
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const pidfile = join(dir, 'redis.pid');
  await stopLeftover(pidfile, logger);
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction', ...redisMemorySettings, '--save', '', '--pidfile', pidfile, '--daemonize', 'no', '--logfile', join(dir, 'redis.log')],
    { stdio: 'ignore' },
  );
  // If this process dies without a graceful stop, the private server must not outlive it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  await waitForListening(child, port);
  logger.info({ port, dir }, 'started a private redis-server (append-only, noeviction)');
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      process.off('exit', killOnExit);
      return stopChild(child);
    },
  };
}

/** A private server left behind by a killed process would write the same AOF: stop it first. */
async function stopLeftover(pidfile: string, logger: Logger): Promise<void> {
  if (!existsSync(pidfile)) return;
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isRedis(pid)) return;
  logger.warn({ pid }, 'stopping a private redis-server left by an earlier run');
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && processAlive(pid); i++) await sleep(50);
}

function isRedis(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
}

/** True while a process with this pid exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForListening(child: ChildProcess, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}; see redis.log in the data directory`);
    if (await accepts(port)) return;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start listening within 5 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
