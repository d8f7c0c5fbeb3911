import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { testRedisUrl } from '../../test/harness/redis.ts';
import type { AriSim } from '../ari-sim/index.ts';
import { until } from '../test/over-sim.ts';
import { useTwoNodes } from '../test/two-nodes.ts';

// Two ARI stand-ins as two Asterisk nodes, two controllers: A (api and telephony, prefers node 1) and B (prefers
// node 2). A supervision of a call on node 2, asked through A's API, is carried out by B on node 2; with no holder
// of node 2 it is refused (503); when B dies while a manager listens, A takes node 2 over, hangs that supervision up
// and logs its stop (controller_restart), then carries new requests out there.
const { sim1, sim2, pgc, courtId, prefix, env: nodesEnv } = await useTwoNodes();
const redis = new Redis(testRedisUrl);
afterFile(() => redis.quit());
const env = {
  ...nodesEnv,
  TELEPHONY_RING_SECONDS: '5',
  TELEPHONY_MENU_TIMEOUT_SECONDS: '1',
  TELEPHONY_MAX_WAIT_SECONDS: '60',
  TELEPHONY_WRAP_UP_SECONDS: '0',
};
const apiHotline = await useHotline({ ...env, HOTLINE_ROLES: 'api,telephony', ARI_NODES_PREFER: 'node1' });
const a = serviceOf(apiHotline.deps, 'telephonyRuntime');
const b = serviceOf((await useHotline({ ...env, HOTLINE_ROLES: 'telephony', ARI_NODES_PREFER: 'node2' })).deps, 'telephonyRuntime');
await until(() => a.nodes!.drivers[0]!.held && b.nodes!.drivers[1]!.held && b.nodes!.drivers[1]!.ari.connected, 10_000);

async function addUser(role: string, sip: string): Promise<string> {
  const id = randomUUID();
  await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, $3, $4, $5, $6)`, [id, courtId, `u-${sip}`, `${role} ${sip}`, role, sip]);
  return id;
}
const managerId = await addUser('manager', 'mgrn2');
const cookie = await sessionCookieFor(apiHotline.deps.db, managerId);
sim2.endpoint('mgrn2').register().answerAfter(30);
const supervise = (callId: string, mode: string) => call(apiHotline.url, 'PUT', `/api/telephony/calls/${callId}/supervision`, { cookie, body: { mode } });
const leave = (callId: string) => call(apiHotline.url, 'DELETE', `/api/telephony/calls/${callId}/supervision`, { cookie });
const live = (sim: AriSim) => [...sim.asterisk.channels.values()].filter((c) => !c.ended);
const legOf = (sim: AriSim, callId: string) => live(sim).find((c) => c.id.startsWith(`${callId}-sv`));
const snoopsOf = (sim: AriSim, callId: string) => live(sim).filter((c) => c.id.startsWith(`${callId}-sn`));
const supervisionEvents = async (callId: string) =>
  (await pgc.query(`select kind, data from telephony.call_events where call_id = $1 and kind::text like 'supervision_%' order by seq`, [callId])).rows.map((r) => [r.kind, r.data.reason ?? null]);

/** A caller on node 2 talking with an operator registered on node 2; returns the call's id. */
async function callOnNode2(from: string, endpoint: string): Promise<{ callId: string; channelId: string }> {
  const operatorId = await addUser('operator', endpoint);
  sim2.endpoint(endpoint).register().answerAfter(30);
  await a.service.setPresence(operatorId, 'ready');
  const caller = await sim2.placeCall({ from });
  await sim2.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
  await caller.pressDigits('3');
  await expect.poll(() => sim2.bridges().find((br) => br.channels.includes(caller.channelId!))?.channels.length ?? 0, { timeout: 8000 }).toBe(2);
  const listed = async () => ((await call(apiHotline.url, 'GET', '/api/telephony/supervision/calls', { cookie })).body as { callId: string; operatorId: string }[]).find((c) => c.operatorId === operatorId)?.callId;
  await expect.poll(listed, { timeout: 5000 }).toBeTruthy();
  return { callId: (await listed())!, channelId: caller.channelId! };
}

describe('supervision with two Asterisk nodes', () => {
  it("goes to the node the call is on, carried out by that node's holder; 503 while no one holds it; the new holder carries it out", async () => {
    await until(() => b.nodes!.registrations.registeredOn('mgrn2') === 'node2', 5000);
    const { callId, channelId } = await callOnNode2('13800000201', 'opn201');
    expect(b.nodes!.drivers[1]!.tenure?.controller.holdsCall(callId)).toBe(true);

    // Asked through A's API, carried out by B on node 2: the supervisor's leg and the snoop are on node 2 only.
    expect(await supervise(callId, 'listen')).toMatchObject({ status: 202, body: { status: 'requested' } });
    await expect.poll(() => b.supervisionByNode!.get('node2')!.session(callId)?.legUp, { timeout: 8000 }).toBe(true);
    await expect.poll(() => snoopsOf(sim2, callId).map((c) => c.snoop?.targetId), { timeout: 5000 }).toEqual([channelId]);
    expect(legOf(sim2, callId)?.endpoint).toBe('mgrn2');
    expect([legOf(sim1, callId), snoopsOf(sim1, callId)]).toEqual([undefined, []]);
    expect(a.supervisionByNode!.get('node2')!.session(callId)).toBeUndefined();
    expect(await leave(callId)).toMatchObject({ status: 202 });
    await expect.poll(() => legOf(sim2, callId), { timeout: 5000 }).toBeUndefined();
    await expect.poll(() => supervisionEvents(callId), { timeout: 5000 }).toEqual([
      ['supervision_started', null],
      ['supervision_stopped', 'left'],
    ]);

    // Another token holds node 2 (its holder gone): B is fenced and stops listening; no one carries a request out.
    // No expiry: however slow the machine, the foreign lease lasts until the 503 is seen, then it is let go.
    const lease = `${prefix}:tel:node:node2:lease`;
    await redis.set(lease, 'someone-else|t');
    await until(() => !b.nodes!.drivers[1]!.held, 4500);
    await expect.poll(async () => (await supervise(callId, 'listen')).body, { timeout: 3000, interval: 100 }).toMatchObject({ code: 'node_unavailable' });
    expect(legOf(sim2, callId)).toBeUndefined();
    await redis.del(lease);

    // B takes node 2 back once that lease is gone, and a manager listens again; then B dies while they listen and A
    // takes node 2 over: A hangs the supervision up on node 2 and logs its stop, then carries a new request out.
    await until(() => b.nodes!.drivers[1]!.held && b.nodes!.drivers[1]!.tenure?.controller.holdsCall(callId) === true, 8000);
    await expect.poll(async () => (await supervise(callId, 'listen')).status, { timeout: 5000, interval: 200 }).toBe(202);
    await expect.poll(() => b.supervisionByNode!.get('node2')!.session(callId)?.legUp, { timeout: 8000 }).toBe(true);
    await expect.poll(() => snoopsOf(sim2, callId).length, { timeout: 5000 }).toBe(1);
    b.nodes!.crash();
    await until(() => a.nodes!.drivers[1]!.held && a.nodes!.drivers[1]!.tenure?.controller.holdsCall(callId) === true, 10_000);
    await expect.poll(() => [legOf(sim2, callId), snoopsOf(sim2, callId).length], { timeout: 8000 }).toEqual([undefined, 0]);
    await expect.poll(() => supervisionEvents(callId), { timeout: 12_000 }).toEqual([
      ['supervision_started', null],
      ['supervision_stopped', 'left'],
      ['supervision_started', null],
      ['supervision_stopped', 'controller_restart'],
    ]);
    expect(sim2.bridges().find((br) => br.channels.includes(channelId))?.channels).toHaveLength(2);
    await expect.poll(async () => (await supervise(callId, 'barge')).status, { timeout: 5000, interval: 200 }).toBe(202);
    await expect.poll(() => a.supervisionByNode!.get('node2')!.session(callId)?.legUp, { timeout: 8000 }).toBe(true);
    await expect.poll(() => sim2.bridges().find((br) => br.channels.includes(channelId))?.channels.length, { timeout: 5000 }).toBe(3);
    expect(legOf(sim1, callId)).toBeUndefined();
    await leave(callId);
    await expect.poll(() => legOf(sim2, callId), { timeout: 5000 }).toBeUndefined();
  });
});
