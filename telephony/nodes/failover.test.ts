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
const { sim1, sim2, pgc, courtId, prefix, env: nodesEnv } = await useTwoNodes();
const env = {
  ...nodesEnv,
  HOTLINE_ROLES: 'telephony',
  TELEPHONY_RING_SECONDS: '2',
  TELEPHONY_MENU_TIMEOUT_SECONDS: '1',
  TELEPHONY_MAX_WAIT_SECONDS: '60',
  TELEPHONY_WRAP_UP_SECONDS: '0',
};

// Each prefers one node; the first one up takes both, then hands node 2 to the second, which asks for it.
const first = await useHotline({ ...env, ARI_NODES_PREFER: 'node1' });
const a = serviceOf(first.deps, 'telephonyRuntime');
await until(() => a.nodes!.drivers.every((d) => d.ari.connected), 10_000);
const aloneHeld = a.nodes!.drivers.map((d) => d.held);
const second = await useHotline({ ...env, ARI_NODES_PREFER: 'node2' });
const b = serviceOf(second.deps, 'telephonyRuntime');

/** How many event websockets are subscribed to the app on a node (a frame no handler takes, counted by the stand-in). */
const subscribers = (sim: AriSim) => sim.sendRawFrame(JSON.stringify({ type: 'NodeProbe', application: 'hotline12368' }));
const bridgeOf = (sim: AriSim, channelId: string | null) => sim.bridges().find((br) => br.channels.includes(channelId!));
const up = (sim: AriSim, channelId: string | null) => sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true });
// By caller too: the stand-ins number channels as Asterisk does (<epoch>.<seq>), so two nodes can give the same id.
const outcome = async (channelId: string | null, caller: string) => (await pgc.query(`select outcome, answered_by from telephony.calls where channel_id = $1 and caller_number = $2`, [channelId, caller])).rows;

async function addOperator(endpoint: string): Promise<string> {
  const id = randomUUID();
  await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, $3, $4, 'operator', $5)`, [id, courtId, `u-${endpoint}`, `话务员 ${endpoint}`, endpoint]);
  return id;
}

describe('two controllers, two nodes: one controller per node, fail-over within 5 s', () => {
  it('one websocket per node; a killed holder hands its node over within 5 s; bridged calls go on, a waiting caller is answered across nodes', async () => {
    // Alone, the first controller took both nodes; the second's preference moved node 2 over, cleanly.
    expect(aloneHeld).toEqual([true, true]);
    await until(() => a.nodes!.drivers[1]!.held === false && b.nodes!.drivers[1]!.held && b.nodes!.drivers[1]!.ari.connected, 5000);
    expect(a.nodes!.drivers.map((d) => d.held)).toEqual([true, false]);
    expect(b.nodes!.drivers.map((d) => d.held)).toEqual([false, true]);
    // Each node has one websocket for the app: the standby for a node never subscribes to it.
    expect(a.nodes!.drivers.map((d) => d.ari.connected)).toEqual([true, false]);
    expect(b.nodes!.drivers.map((d) => d.ari.connected)).toEqual([false, true]);
    await expect.poll(() => [subscribers(sim1), subscribers(sim2)], { timeout: 5000 }).toEqual([1, 1]);
    expect(await a.nodes!.readiness()).toMatch(/^node1 held; node2 standby \(held by .+\)$/);
    expect(await b.nodes!.readiness()).toMatch(/^node1 standby \(held by .+\); node2 held$/);

    // A call on node 1 is answered by an operator registered there (dialled locally).
    const op1 = await addOperator('opn1');
    sim1.endpoint('opn1').register().answerAfter(50);
    await b.service.setPresence(op1, 'ready');
    const c1 = await sim1.placeCall({ from: '13800000101' });
    await up(sim1, c1.channelId);
    await c1.pressDigits('3');
    await expect.poll(() => bridgeOf(sim1, c1.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    // A call on node 2 waits: no operator is ready.
    const c2 = await sim2.placeCall({ from: '13800000102' });
    await up(sim2, c2.channelId);
    await c2.pressDigits('3');
    await expect.poll(async () => (await b.service.queueSnapshot(courtId)).waiting.length, { timeout: 5000 }).toBe(1);

    // Calls on both nodes are driven, each by its node's holder.
    expect(a.nodes!.drivers[0]!.tenure!.controller.activeCalls).toBe(1);
    expect(b.nodes!.drivers[1]!.tenure!.controller.activeCalls).toBe(1);

    // Node 1's holder dies (nothing more sent, its lease left to run out): the other takes node 1 once the lease ran out.
    const diedAt = Date.now();
    a.nodes!.crash();
    // Fenced at once: its sockets close (the stand-in sees them go a moment later), before anyone else may connect.
    expect(a.nodes!.drivers.map((d) => d.ari.connected)).toEqual([false, false]);
    await expect.poll(() => [subscribers(sim1), subscribers(sim2)], { timeout: 5000 }).toEqual([0, 1]);
    // Taken and re-adopted: each node's live call is in the new holder's hands.
    // Polled for up to three TTLs and more (a loaded machine); the order is what is asserted, not the speed.
    await until(() => b.nodes!.drivers.every((d) => d.held && d.ari.connected && d.tenure?.controller.activeCalls === 1), 10_000);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(1000); // not before the dead holder's lease ran out
    expect([subscribers(sim1), subscribers(sim2)]).toEqual([1, 1]);
    expect(await b.nodes!.readiness()).toBe('node1 held; node2 held');
    expect(bridgeOf(sim1, c1.channelId)?.channels).toHaveLength(2);

    // The caller waiting on node 2 is answered by an operator whose softphone is registered on node 1: dialled on
    // node 2 through the trunk to node 1 (the stand-in's endpoint trunk-node1 answers for it).
    const op2 = await addOperator('opn2');
    sim1.endpoint('opn2').register();
    sim2.endpoint('trunk-node1').register().answerAfter(50);
    await until(() => b.nodes!.registrations.registeredOn('opn2') === 'node1', 5000);
    await b.service.setPresence(op2, 'ready');
    await expect.poll(() => bridgeOf(sim2, c2.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    const leg = sim2.channels().find((ch) => ch.id !== c2.channelId && bridgeOf(sim2, ch.id));
    expect(leg?.name).toMatch(/^PJSIP\/trunk-node1-/);

    // Each call closes once, answered by its operator.
    c1.hangup();
    c2.hangup();
    await expect.poll(() => outcome(c1.channelId, '13800000101'), { timeout: 10_000 }).toEqual([{ outcome: 'answered', answered_by: op1 }]);
    await expect.poll(() => outcome(c2.channelId, '13800000102'), { timeout: 10_000 }).toEqual([{ outcome: 'answered', answered_by: op2 }]);
    await expect.poll(() => sim1.channels().length + sim2.channels().length, { timeout: 5000 }).toBe(0);
  });

  it('fencing: a holder whose lease another token took stops at once (no websocket, no command) and takes the node back once free', async () => {
    const redis = new Redis(testRedisUrl);
    afterFile(() => redis.quit());
    const driver = b.nodes!.drivers[1]!;
    // A caller on node 2, answered by an operator on node 1 over the trunk, is bridged.
    const c3 = await sim2.placeCall({ from: '13800000103' });
    await up(sim2, c3.channelId);
    await c3.pressDigits('3');
    await expect.poll(() => bridgeOf(sim2, c3.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);

    await redis.set(`${prefix}:tel:node:node2:lease`, 'someone-else|t', 'PX', 2000);
    await until(() => !driver.held, 4500);
    expect(driver.ari.connected).toBe(false);
    expect(driver.tenure).toBeUndefined();
    await expect(driver.ari.execute({ kind: 'hangup', channelId: c3.channelId! })).rejects.toThrow(/not connected/);
    await expect.poll(() => subscribers(sim2), { timeout: 5000 }).toBe(0);
    expect(bridgeOf(sim2, c3.channelId)?.channels).toHaveLength(2);
    expect(await b.nodes!.readiness()).toMatch(/node2 standby \(held by someone-else\)/);

    // Once that lease ran out, it takes the node again and adopts the call still bridged.
    await until(() => driver.held && driver.ari.connected && driver.tenure?.controller.activeCalls === 1, 5000);
    expect(subscribers(sim2)).toBe(1);
    expect(bridgeOf(sim2, c3.channelId)?.channels).toHaveLength(2);
    c3.hangup();
    await expect.poll(() => outcome(c3.channelId, '13800000103'), { timeout: 10_000 }).toMatchObject([{ outcome: 'answered' }]);
  });

  it('a clean hand-over to a controller that prefers the node, with a call bridged: adopted, never driven by both', async () => {
    const c4 = await sim1.placeCall({ from: '13800000104' });
    await up(sim1, c4.channelId);
    await c4.pressDigits('3');
    await expect.poll(() => bridgeOf(sim1, c4.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    const third = await useHotline({ ...env, ARI_NODES_PREFER: 'node1' });
    const c = serviceOf(third.deps, 'telephonyRuntime');
    await until(() => c.nodes!.drivers[0]!.held && c.nodes!.drivers[0]!.tenure?.controller.activeCalls === 1, 5000);
    expect(b.nodes!.drivers.map((d) => d.held)).toEqual([false, true]);
    expect(b.nodes!.drivers[0]!.tenure).toBeUndefined();
    await expect.poll(() => [subscribers(sim1), subscribers(sim2)], { timeout: 5000 }).toEqual([1, 1]);
    expect(bridgeOf(sim1, c4.channelId)?.channels).toHaveLength(2);
    c4.hangup();
    await expect.poll(() => outcome(c4.channelId, '13800000104'), { timeout: 10_000 }).toMatchObject([{ outcome: 'answered' }]);
  });
});
