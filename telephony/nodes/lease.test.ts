import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { loadConfig } from '../../platform/config/load.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { NodeKeeper } from './keeper.ts';
import { NodeLease } from './lease.ts';
import { asteriskNodes } from './nodes.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
afterAll(() => redis.quit());
const logger = createLogger({ level: 'silent', pretty: false });

function keeper(holder: string, node: string, ttlMs: number, log: string[]) {
  const lease = new NodeLease(redis, prefix, node, holder, ttlMs);
  return new NodeKeeper({ lease, logger, retryMs: 100, onAcquired: () => log.push(`${holder} took ${node}`), onLost: () => log.push(`${holder} lost ${node}`) });
}

const until = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('ARI_NODES', () => {
  it('names several nodes, or ARI_URL alone as node1; bad lists stop start-up naming ARI_NODES', () => {
    const two = loadConfig({ env: { ARI_NODES: 'node1=http://127.0.0.1:8088, node2=http://127.0.0.1:8089' }, cwd: '/nonexistent' });
    expect(asteriskNodes(two.ari)).toEqual([
      { name: 'node1', url: 'http://127.0.0.1:8088' },
      { name: 'node2', url: 'http://127.0.0.1:8089' },
    ]);
    expect(asteriskNodes(loadConfig({ env: { ARI_URL: 'http://10.0.0.9:8088' }, cwd: '/nonexistent' }).ari)).toEqual([{ name: 'node1', url: 'http://10.0.0.9:8088' }]);
    for (const bad of ['node1=ws://x', 'Node 1=http://x:1', 'a=http://x:1,a=http://y:1', 'http://x:1']) {
      expect(() => loadConfig({ env: { ARI_NODES: bad }, cwd: '/nonexistent' }), bad).toThrow(/ARI_NODES/);
    }
    expect(loadConfig({ env: { ARI_NODES: 'node1=http://x:1,node2=http://y:1', ARI_NODES_PREFER: 'node2' }, cwd: '/nonexistent' }).ari.preferNodes).toEqual(['node2']);
    expect(() => loadConfig({ env: { ARI_NODES: 'node1=http://x:1', ARI_NODES_PREFER: 'node3' }, cwd: '/nonexistent' })).toThrow(/ARI_NODES_PREFER.*node3/s);
  });
});

describe('node lease (Redis)', () => {
  it('one holder at a time; a clean stop hands the node over at once', async () => {
    const log: string[] = [];
    const a = keeper('a', 'n-clean', 1000, log);
    const b = keeper('b', 'n-clean', 1000, log);
    await a.start();
    await b.start();
    expect([a.role, b.role]).toEqual(['held', 'standby']);
    // Renewed well inside its TTL: still a's after three TTLs.
    await new Promise((r) => setTimeout(r, 3000));
    expect([a.role, b.role]).toEqual(['held', 'standby']);
    expect(await new NodeLease(redis, prefix, 'n-clean', 'x', 1000).currentHolder()).toBe('a');
    await a.stop();
    // Released, not left to run out: no one holds it the moment a has stopped, and b takes it (margins for a loaded
    // machine: up to three TTLs; the order, not the speed, is what is asserted).
    expect(await new NodeLease(redis, prefix, 'n-clean', 'x', 1000).currentHolder()).toBeNull();
    expect(await until(() => b.role === 'held', 3000)).toBe(true);
    expect(log).toEqual(['a took n-clean', 'a lost n-clean', 'b took n-clean']);
    await b.stop();
  });

  it('a holder that dies: the standby takes the node once the lease ran out, not before', async () => {
    const log: string[] = [];
    const a = keeper('a', 'n-crash', 1500, log);
    const b = keeper('b', 'n-crash', 1500, log);
    await a.start();
    await b.start();
    const diedAt = Date.now();
    a.halt();
    // Up to three TTLs on a loaded machine; never before the lease (renewed at most a third of its TTL ago) ran out.
    expect(await until(() => b.role === 'held', 4500)).toBe(true);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(1000);
    expect(log).toEqual(['a took n-crash', 'b took n-crash']);
    await b.stop();
  });

  it('fencing: a holder whose lease another token holds lets the node go at its next renewal', async () => {
    const log: string[] = [];
    const a = keeper('a', 'n-fence', 900, log);
    await a.start();
    await redis.set(`${prefix}:tel:node:n-fence:lease`, 'intruder|t', 'PX', 5000);
    // Its next renewal (every 300 ms) finds the other token; up to three TTLs on a loaded machine.
    expect(await until(() => a.role === 'standby', 2700)).toBe(true);
    expect(log).toEqual(['a took n-fence', 'a lost n-fence']);
    // Its release leaves the other token alone.
    await a.stop();
    expect(await redis.get(`${prefix}:tel:node:n-fence:lease`)).toBe('intruder|t');
  });
});
