import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import { useKillableHotline } from '../test/killable-controller.ts';

// The controller is a real process killed with SIGKILL while a manager listens to a call: the next controller hangs
// up the supervisor's leg and the snoop the dead one left, adopts the call as caller and operator (still bridged),
// logs the supervision's end in the call, and the manager can join again.
const { sim, pgc, courtId, api, startController, addOperators, callers } = await useKillableHotline({ courtCode: 'K23' });
const managerId = randomUUID();
await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, 'k-manager', '周主任', 'manager', 'mgrk2301')`, [managerId, courtId]);
sim.endpoint('mgrk2301').register().answerAfter(30);
const cookie = await sessionCookieFor(api.deps.db, managerId);
const supervise = (callId: string, mode: string) => call(api.url, 'PUT', `/api/telephony/calls/${callId}/supervision`, { cookie, body: { mode } });
const ours = (callId: string) => sim.channels().filter((c) => c.id.startsWith(`${callId}-s`)).map((c) => c.id);

describe('a controller killed while a call is supervised', () => {
  it('cleans the supervision up and re-adopts the call', async () => {
    const first = await startController();
    await addOperators(1);
    const [caller] = await callers(1, '0');
    const bridgeOf = () => sim.bridges().find((b) => b.channels.includes(caller!.channelId!));
    await expect.poll(() => bridgeOf()?.channels.length, { timeout: 20_000 }).toBe(2);
    const callId = (await pgc.query(`select id from telephony.calls where channel_id = $1`, [caller!.channelId])).rows[0].id as string;
    const operatorLeg = bridgeOf()!.channels.find((c) => c !== caller!.channelId)!;

    await expect.poll(async () => (await supervise(callId, 'listen')).status, { timeout: 10_000 }).toBe(202);
    await expect.poll(() => ours(callId).length, { timeout: 10_000 }).toBe(2);
    await expect.poll(async () => (await pgc.query(`select 1 from telephony.call_events where call_id = $1 and kind = 'supervision_started'`, [callId])).rowCount, { timeout: 10_000 }).toBe(1);

    await first.kill();
    expect(ours(callId)).toHaveLength(2);
    await startController();
    await expect.poll(() => ours(callId), { timeout: 20_000 }).toEqual([]);
    await expect.poll(() => sim.bridges().filter((b) => b.id.startsWith(`${callId}-sb`)), { timeout: 10_000 }).toEqual([]);
    expect(bridgeOf()?.channels.sort()).toEqual([caller!.channelId, operatorLeg].sort());
    await expect
      .poll(async () => (await pgc.query(`select data from telephony.call_events where call_id = $1 and kind = 'supervision_stopped'`, [callId])).rows.map((r) => r.data.reason), { timeout: 20_000 })
      .toEqual(['controller_restart']);
    expect((await call(api.url, 'GET', '/api/telephony/supervision/calls', { cookie })).body).toContainEqual(expect.objectContaining({ callId, supervision: null }));

    // The manager joins again through the new controller; then the call ends once, answered.
    expect(await supervise(callId, 'barge')).toMatchObject({ status: 202 });
    await expect.poll(() => bridgeOf()?.channels.length, { timeout: 10_000 }).toBe(3);
    caller!.hangup();
    await expect.poll(async () => (await pgc.query(`select outcome from telephony.calls where id = $1`, [callId])).rows[0]?.outcome, { timeout: 20_000 }).toBe('answered');
    await expect.poll(() => ours(callId), { timeout: 10_000 }).toEqual([]);
    expect((await pgc.query(`select count(*)::int as n from telephony.calls where channel_id = $1`, [caller!.channelId])).rows[0].n).toBe(1);
  }, 90_000);
});
