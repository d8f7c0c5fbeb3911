import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { afterFile } from '../../test/harness/after-file.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { testRedisUrl } from '../../test/harness/redis.ts';
import { serviceOf } from '../../platform/deps.ts';
import type { AriSim } from '../ari-sim/index.ts';
import { until } from '../test/over-sim.ts';
import { useTwoNodes } from '../test/two-nodes.ts';

// Two ARI stand-ins as two Asterisk nodes, two controllers (in this process) over one database and Redis prefix.
const { sim1, sim2, pgc, courtId, prefix, env: nodesEnv } = await useTwoNodes({ leaseMs: null });
const redis = new Redis(testRedisUrl);
afterFile(() => redis.quit());
const env = {
  ...nodesEnv,
  HOTLINE_ROLES: 'telephony',
  TELEPHONY_RING_SECONDS: '20',
  TELEPHONY_MENU_TIMEOUT_SECONDS: '5',
  TELEPHONY_MAX_WAIT_SECONDS: '60',
  TELEPHONY_WRAP_UP_SECONDS: '0',
};
const a = serviceOf((await useHotline({ ...env, ARI_NODES_PREFER: 'node1' })).deps, 'telephonyRuntime');
const b = serviceOf((await useHotline({ ...env, ARI_NODES_PREFER: 'node2' })).deps, 'telephonyRuntime');
const up = (sim: AriSim, channelId: string | null) => sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true });

describe('two controllers sharing a court queue', () => {
  it("an operator made ready by one controller rings the other controller's waiting caller at once, not at its one-second tick", async () => {
    await until(() => a.nodes!.drivers[0]!.held && a.nodes!.drivers[0]!.ari.connected && b.nodes!.drivers[1]!.held && b.nodes!.drivers[1]!.ari.connected && !a.nodes!.drivers[1]!.held, 10_000);
    const opId = randomUUID();
    await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, 'u-opk', '话务员 opk', 'operator', 'opk')`, [opId, courtId]);
    // The operator's softphone is on node 1; node 2 reaches it over its trunk to node 1 (rings, never answered).
    sim1.endpoint('opk').register().noAnswer();
    sim2.endpoint('trunk-node1').register().noAnswer();
    await until(() => b.nodes!.registrations.registeredOn('opk') === 'node1', 5000);

    // Several tries, so a wait for the one-second tick cannot pass by luck (each would by chance 1 in 4 at most).
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      // A caller on node 2 (driven by b) waits: no operator is ready.
      const caller = await sim2.placeCall({ from: `1380000020${i}` });
      await up(sim2, caller.channelId);
      await caller.pressDigits('3');
      await expect.poll(async () => (await b.service.queueSnapshot(courtId)).waiting.length, { timeout: 5000 }).toBe(1);
      await new Promise((r) => setTimeout(r, 137 * i)); // a different phase of b's tick each time
      const rang = sim2.waitFor('Dial', (e: any) => e.dialstatus === '' && e.peer?.name?.startsWith('PJSIP/trunk-node1-'), { timeoutMs: 3000 });
      // The operator is made ready through the other controller (a): only a's own dispatcher is kicked locally.
      const readyAt = Date.now();
      await a.service.setPresence(opId, 'ready');
      await rang;
      delays.push(Date.now() - readyAt);
      // The caller hangs up: b releases the operator, who signs out again for the next try.
      caller.hangup();
      await expect.poll(() => redis.hget(`${prefix}:tel:op:${opId}`, 'state'), { timeout: 5000 }).toBe('ready');
      await a.service.setPresence(opId, 'logged_out');
    }
    expect(delays.every((ms) => ms < 250), `ring after ready (ms): ${delays.join(', ')}`).toBe(true);
  });
});
