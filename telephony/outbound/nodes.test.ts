import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import type { AriSim } from '../ari-sim/index.ts';
import { promptSounds, soundsDir, until } from '../test/over-sim.ts';
import { useTwoNodes } from '../test/two-nodes.ts';
import { outboundPrompts } from './types.ts';

// Callbacks with two Asterisk nodes (two ARI stand-ins): dialled from the node the controller prefers, not the first
// one; the operator's softphone registered on the other node is reached over the trunk; when the controller dies,
// the one taking the node over takes the bridged callback over from that node's own list and settles it once.
const sounds = { ...promptSounds(60), ...Object.fromEntries(outboundPrompts.map((p) => [`${soundsDir}/zh/${p}`, 300])) };
const { sim1, sim2, pgc, courtId, env: nodesEnv } = await useTwoNodes({ sounds });
const env = {
  ...nodesEnv,
  TELEPHONY_OUTBOUND_RING_SECONDS: '3',
  TELEPHONY_OUTBOUND_RETRY_SECONDS: '1',
  TELEPHONY_OUTBOUND_ATTEMPTS: '3',
};
// A alone takes both nodes; it prefers node 2, so its callbacks are dialled there.
const apiHotline = await useHotline({ ...env, HOTLINE_ROLES: 'api,telephony', ARI_NODES_PREFER: 'node2' });
const a = serviceOf(apiHotline.deps, 'telephonyRuntime');
await until(() => a.nodes!.drivers.every((d) => d.held && d.ari.connected), 10_000);

const operatorId = randomUUID();
await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, 'u-opob1', '话务员', 'operator', 'opob1')`, [operatorId, courtId]);
const cookie = await sessionCookieFor(apiHotline.deps.db, operatorId);
// The operator's softphone is on node 1; node 2 reaches it over its trunk to node 1. Callers answer on node 2's trunk.
sim1.endpoint('opob1').register();
sim2.endpoint('trunk-node1').register().answerAfter(50);
sim2.endpoint('trunk').register().answerAfter(80);

async function missedCallback(callerNumber: string): Promise<string> {
  const callId = randomUUID();
  await pgc.query(
    `insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours)
     values ($1, $2, $3, $4, '12368', now() - interval '5 minutes', 'callback_requested', 'caller', now() - interval '4 minutes', true)`,
    [callId, courtId, `ch-${callId.slice(0, 8)}`, callerNumber],
  );
  const accepted = await call(apiHotline.url, 'POST', '/api/telephony/outbound', { cookie, body: { purpose: 'missed_call', callId } });
  expect(accepted.status).toBe(202);
  return accepted.body.id as string;
}
const view = async (id: string) => (await call(apiHotline.url, 'GET', `/api/telephony/outbound/${id}`, { cookie })).body;
const bridged = (sim: AriSim, id: string) => sim.bridges().find((b) => b.id === `ob-${id}-1-br`)?.channels.length ?? 0;
const outboundChannels = (sim: AriSim, id: string) => sim.channels().filter((c) => c.id.startsWith(`ob-${id}`));

describe('callbacks with two Asterisk nodes', () => {
  it('dials from the preferred held node, the operator over the trunk; after a fail-over the new holder settles it once', async () => {
    await until(() => a.nodes!.registrations.registeredOn('opob1') === 'node1', 5000);
    const id = await missedCallback('13600000041');
    await expect.poll(() => bridged(sim2, id), { timeout: 8000 }).toBe(2);
    expect(outboundChannels(sim1, id)).toEqual([]);
    expect(sim2.channels().find((c) => c.id === `ob-${id}-1-op`)?.name).toMatch(/^PJSIP\/trunk-node1-/);
    expect([a.outboundByNode!.get('node1')!.holds(id), a.outboundByNode!.get('node2')!.holds(id)]).toEqual([false, true]);

    // A second controller stands by; A dies: B takes both nodes and takes the bridged callback over on node 2.
    const b = serviceOf((await useHotline({ ...env, HOTLINE_ROLES: 'telephony' })).deps, 'telephonyRuntime');
    a.nodes!.crash();
    await until(() => b.nodes!.drivers.every((d) => d.held && d.ari.connected), 10_000);
    await expect.poll(() => b.outboundByNode!.get('node2')!.holds(id), { timeout: 5000 }).toBe(true);
    expect(b.outboundByNode!.get('node1')!.holds(id)).toBe(false);
    expect(bridged(sim2, id)).toBe(2);

    // The caller hangs up: settled once, by B, both legs logged.
    sim2.endpoint('trunk').hangup();
    await expect.poll(async () => (await view(id)).status, { timeout: 8000 }).toBe('completed');
    const done = await view(id);
    expect(done).toMatchObject({ result: 'connected', attempts: 1 });
    expect(done.legs.map((l: any) => [l.leg, l.outcome])).toEqual([
      ['operator', 'answered'],
      ['caller', 'answered'],
    ]);
    await expect.poll(() => outboundChannels(sim2, id), { timeout: 5000 }).toEqual([]);
  });
});
