import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterFile } from './after-file.ts';
import { freePort, waitForPort } from './net.ts';

/**
 * Sentinel mode is built into redis-server (`redis-server <conf> --sentinel`, what Debian's redis-sentinel runs), so
 * a machine with redis-server can run sentinels without the redis-sentinel package.
 */
export function sentinelAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface SentinelNode {
  port: number;
  /** SIGKILL: the process is gone at once, as a crashed host would be. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (the sentinels turn it into a replica of the master they name). */
  restart(): Promise<void>;
}

export interface SentinelSet {
  master: string;
  /** REDIS_SENTINELS for the hotline. */
  sentinels: string;
  servers: SentinelNode[];
  sentinelPorts: number[];
  /** The port the sentinels name as master now (asks the first one that answers). */
  masterPort(): Promise<number>;
  /** A client on one sentinel (closed after the file). */
  sentinel(i?: number): Redis;
}

const loopback = '127.0.0.1';

/**
 * redis-servers (a master and `replicas` replicas) and three sentinels (quorum 2) on free loopback ports, each in a temp
 * directory, all stopped after the file. Sentinels give up on a master after `downAfterMs` without an answer.
 */
export async function useSentinelSet(master = 'hotline', { replicas = 1, downAfterMs = 1000, minReplicasToWrite = 1 } = {}): Promise<SentinelSet> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-sentinel-'));
  const children = new Set<ChildProcess>();
  const clients: Redis[] = [];
  afterFile(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all([...children].map(stop));
    rmSync(dir, { recursive: true, force: true });
  });
  const launch = async (args: string[], port: number) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.add(child);
    child.once('exit', () => children.delete(child));
    await waitForPort(port);
    return child;
  };

  const masterPort = await freePort();
  const replicaPorts: number[] = [];
  for (let i = 0; i < replicas; i++) replicaPorts.push(await freePort());
  const server = async (port: number, replicaOf?: number): Promise<SentinelNode> => {
    const own = join(dir, `redis-${port}`);
    rmSync(own, { recursive: true, force: true });
    mkdirSync(own, { recursive: true });
    // min-replicas-to-write 1: a master left without a replica (a fail-over's old one, once its replica is promoted)
    // refuses writes rather than accept ones the promoted replica never sees (docs/deployment.md).
    const args = () => ['--bind', loopback, '--port', String(port), '--dir', own, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction',
      '--min-replicas-to-write', String(minReplicasToWrite), '--min-replicas-max-lag', '10',
      ...(replicaOf ? ['--replicaof', loopback, String(replicaOf)] : [])];
    let child = await launch(args(), port);
    return {
      port,
      kill: async () => {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGKILL');
        await exited;
      },
      restart: async () => {
        replicaOf = undefined; // the sentinels turn it into a replica of the master they name
        child = await launch(args(), port);
      },
    };
  };
  const servers = [await server(masterPort)];
  for (const port of replicaPorts) servers.push(await server(port, masterPort));

  const sentinelPorts = [await freePort(), await freePort(), await freePort()];
  for (const port of sentinelPorts) {
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [`bind ${loopback}`, `port ${port}`, `dir ${dir}`, `sentinel monitor ${master} ${loopback} ${masterPort} 2`,
        `sentinel down-after-milliseconds ${master} ${downAfterMs}`, `sentinel failover-timeout ${master} 10000`, `sentinel parallel-syncs ${master} 1`, ''].join('\n'),
    );
    await launch([conf, '--sentinel'], port);
  }
  const sentinel = (i = 0) => {
    const client = new Redis({ host: loopback, port: sentinelPorts[i]!, lazyConnect: false, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const asking = sentinelPorts.map((_, i) => sentinel(i));
  const set: SentinelSet = {
    master,
    sentinels: sentinelPorts.map((p) => `${loopback}:${p}`).join(','),
    servers,
    sentinelPorts,
    sentinel,
    masterPort: async () => {
      for (const client of asking) {
        const addr = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', master).catch(() => null)) as [string, string] | null;
        if (addr) return Number(addr[1]);
      }
      throw new Error('no sentinel answers');
    },
  };
  // A fail-over needs each sentinel to know the replicas and the other two (they find each other over the master's
  // hello channel, every 2 s).
  await until(async () => {
    for (const client of asking) {
      const replicas = (await client.call('SENTINEL', 'REPLICAS', master)) as unknown[];
      const others = (await client.call('SENTINEL', 'SENTINELS', master)) as unknown[];
      if (replicas.length < replicaPorts.length || others.length < 2) return false;
    }
    return true;
  }, 20_000, 'the sentinels to find the replica and each other');
  // And the replicas in sync: until then a master with min-replicas-to-write refuses writes.
  const first = new Redis({ host: loopback, port: masterPort, lazyConnect: false });
  first.on('error', () => undefined);
  clients.push(first);
  await until(async () => ((await first.info('replication')).match(/^slave\d+:.*state=online/gm) ?? []).length === replicaPorts.length, 20_000, 'the replicas to sync');
  return set;
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`waited ${timeoutMs} ms for ${what}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
