import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { ControllerProcess } from '../../telephony/test/controller-process.ts';
import { afterFile } from '../harness/after-file.ts';
import { useHotline } from '../harness/hotline.ts';
import { testRedisUrl } from '../harness/redis.ts';
import { realAsteriskMissing, startAsterisk } from './asterisk-instance.ts';
import { callsThroughProxy, kamailioMissing, removeSippFiles, startCluster } from './cluster-rig.ts';
import { sipPasswordOf, useRealCourt } from './real-hotline.ts';
import { pace, RtpPeer } from './rtp-peer.ts';
import { mediaContact, mediaPhones, register } from './sipp.ts';

/**
 * Two real Asterisk nodes behind Kamailio driven by two controller processes (ARI_NODES, a lease per node in
 * Redis): a caller on either node is answered by the operator registered on node1 (over trunk-node1 from node2),
 * audio both ways; the controller holding the nodes is SIGKILLed and the other takes them over within 5 s with the
 * bridged call still up; one answered record per call. The call on node2 is supervised (listen) by a manager whose
 * phone is on node1: asked through the API, carried out by node2's holder on node2 (the supervisor's leg over
 * trunk-node1), the manager hearing the call. Skipped without asterisk, sipp or kamailio.
 */
const missing = realAsteriskMissing() ?? kamailioMissing();
if (missing) console.log(`test/asterisk/cluster-controllers.test.ts skipped: ${missing}`);

const operator = 'op9201';
const supervisor = 'sup9201';
const supervisorHz = 2600;
const operatorHz = 1000;
const callerHz = [600, 750];
const candidates = [440, operatorHz, ...callerHz];

describe.skipIf(missing !== undefined)('two controllers over two Asterisk nodes behind Kamailio', async () => {
  if (missing) return;
  const court = await useRealCourt({
    operators: [operator, supervisor],
    desks: {},
    operatorMedia: 'rtp',
    env: () => ({ TELEPHONY_MAX_WAIT_SECONDS: '600', TELEPHONY_MENU_TIMEOUT_SECONDS: '30', TELEPHONY_POSITION_FIRST_SECONDS: '600', LOG_LEVEL: 'info' }),
  });
  const node2 = await startAsterisk({ operatorMedia: 'rtp' });
  afterFile(() => node2.stop());
  const cluster = await startCluster([
    { name: 'node1', existing: court.asterisk },
    { name: 'node2', existing: node2 },
  ]);
  afterFile(async () => {
    await cluster.stop();
    removeSippFiles();
  });
  const api = await useHotline({
    HOTLINE_ROLES: 'api',
    DATABASE_URL: court.databaseUrl,
    REDIS_PREFIX: court.hotlineEnv.REDIS_PREFIX!,
    HOTLINE_DATA_DIR: join(court.hotlineEnv.HOTLINE_DATA_DIR!, 'api'),
    ARI_URL: court.asterisk.ariUrl,
  });
  const telephony = serviceOf(api.deps, 'telephony');
  const { ARI_URL: _one, ...env } = court.hotlineEnv;
  const nodesEnv = { ...env, ARI_NODES: `node1=${court.asterisk.ariUrl},node2=${node2.ariUrl}` };
  const controllers: ControllerProcess[] = [];
  afterFile(async () => {
    for (const c of controllers) await c.stop();
  });
  const startController = async (name: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), `hotline-cluster-${name}-`));
    afterFile(() => rmSync(dataDir, { recursive: true, force: true }));
    const c = await ControllerProcess.start({ ...nodesEnv, HOTLINE_DATA_DIR: dataDir });
    controllers.push(c);
    return c;
  };
  const reconciled = (c: ControllerProcess) => c.lines.filter((l) => l.msg === 'reconciled calls with ARI').length;

  const peers: RtpPeer[] = [];
  const pacing = pace(() => peers);
  afterFile(() => {
    pacing.stop();
    peers.forEach((p) => p.close());
  });
  const fromProxy = (i: number) => cluster.nodes[i]!.channels('PJSIP/proxy-').length;

  it('answers callers on both nodes with the operator on node1, then hands both nodes to the other controller within 5 s with the bridged call up', async () => {
    const first = await startController('c1');
    // The first controller up takes both free nodes; the second stands by.
    await expect.poll(() => reconciled(first), { timeout: 30_000 }).toBe(2);
    const second = await startController('c2');
    // It holds nothing: no node reconciled by it while the first lives. Checked just before the kill, after the
    // tens of seconds the calls take, rather than after a fixed wait here.
    expect(reconciled(second)).toBe(0);

    const phones = await mediaPhones({ ringMs: 300 });
    afterFile(() => phones.stop());
    const operatorPeer = await RtpPeer.open(operatorHz);
    peers.push(operatorPeer);
    await register(court.asterisk, { user: operator, password: await sipPasswordOf(court, operator), contactPort: phones.port, contactUser: mediaContact(operator, operatorPeer.port) });
    await telephony.setPresence(court.users[operator]!, 'ready');
    // The supervisor's endpoint was written as an operator's; as a manager they are never offered calls.
    await court.pgc.query(`update platform.users set role = 'manager' where id = $1`, [court.users[supervisor]]);
    const supervisorPeer = await RtpPeer.open(supervisorHz);
    peers.push(supervisorPeer);
    await register(court.asterisk, { user: supervisor, password: await sipPasswordOf(court, supervisor), contactPort: phones.port, contactUser: mediaContact(supervisor, supervisorPeer.port) });
    // The holder of node1 publishes its registered softphones every second (nodes/registrations.ts): wait for it, so
    // that a caller on node2 is put through over the trunk.
    const redis = new Redis(testRedisUrl);
    afterFile(() => redis.quit());
    const onlineKey = `${court.hotlineEnv.REDIS_PREFIX}:tel:node:node1:online`;
    const online = async () => {
      const members = await redis.smembers(onlineKey);
      return [operator, supervisor].every((u) => members.includes(u));
    };
    await expect.poll(online, { timeout: 10_000 }).toBe(true);
    // Every controller reads the lists into memory on the same tick as it publishes (nodes/node-set.ts). Rather than
    // a fixed wait, wait for two more publishes (each resets the key's expiry): the tick after the one that
    // published the operator has read it, and its read is done by the next one.
    let published = 0;
    let lastTtl = await redis.pttl(onlineKey);
    const publishes = async () => {
      const ttl = await redis.pttl(onlineKey);
      if (ttl > lastTtl) published++;
      lastTtl = ttl;
      return published;
    };
    await expect.poll(publishes, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);

    /**
     * The call on node2, held by the first controller with node1: a manager (phone on node1) listens through the API;
     * node2's holder rings them over trunk-node1 and they hear the call, the caller still hearing only the operator.
     */
    const managerCookie = await sessionCookieFor(api.deps.db, court.users[supervisor]!);
    let supervisedOnNode2 = false;
    const superviseOnNode2 = async (callerNumber: string, callerTone: number, callerPeer: RtpPeer) => {
      const callId = (await court.pgc.query<{ id: string }>('select id from telephony.calls where caller_number = $1', [callerNumber])).rows[0]!.id;
      const trunkLegs = () => cluster.nodes[1]!.channels('PJSIP/trunk-node1-').length;
      expect(trunkLegs()).toBe(1);
      expect(await call(api.url, 'PUT', `/api/telephony/calls/${callId}/supervision`, { cookie: managerCookie, body: { mode: 'listen' } })).toMatchObject({ status: 202 });
      await expect.poll(trunkLegs, { timeout: 10_000 }).toBe(2);
      // Audio at all (the strongest tone far above a frequency no one sends), and it is the caller's or the operator's.
      const heard = () => {
        if (supervisorPeer.packetsWithin(1000) < 25) return false;
        const top = supervisorPeer.strongest([440, operatorHz, ...callerHz], 1000).hz!;
        return supervisorPeer.strongest([top, 3300], 1000).ratio >= 1e6 && [callerTone, operatorHz].includes(top);
      };
      await expect.poll(heard, { timeout: 15_000, interval: 200 }).toBe(true);
      expect(callerPeer.strongest([...candidates, supervisorHz], 1000).hz).toBe(operatorHz);
      expect(await call(api.url, 'DELETE', `/api/telephony/calls/${callId}/supervision`, { cookie: managerCookie })).toMatchObject({ status: 202 });
      await expect.poll(trunkLegs, { timeout: 10_000 }).toBe(1);
      const events = async () => (await court.pgc.query<{ kind: string }>(`select kind from telephony.call_events where call_id = $1 and kind::text like 'supervision_%' order by seq`, [callId])).rows.map((r) => r.kind);
      await expect.poll(events, { timeout: 10_000 }).toEqual(['supervision_started', 'supervision_stopped']);
      supervisedOnNode2 = true;
    };

    const landed: number[] = [];
    let last: Awaited<ReturnType<typeof callsThroughProxy>> | undefined;
    for (const [i, hz] of callerHz.entries()) {
      const peer = await RtpPeer.open(hz);
      peers.push(peer);
      peer.pressOnAnswer('0', 1500);
      if (last) {
        // The previous caller hangs up (the node's BYE through the proxy), and the operator's wrap-up is 0 s.
        cluster.nodes.forEach((n) => n.cli('channel request hangup all'));
        expect((await last.done).code).toBe(0);
        await expect.poll(() => fromProxy(0) + fromProxy(1), { timeout: 5000 }).toBe(0);
        // Ready again once the controller has closed the call (wrap-up 0 s).
        const ready = () => telephony.setPresence(court.users[operator]!, 'ready').then(() => 'ready', (err: Error) => err.message);
        await expect.poll(ready, { timeout: 10_000, interval: 200 }).toBe('ready');
      }
      last = await callsThroughProxy(cluster.proxyPort, [{ caller: `1350000920${i}`, mediaPort: peer.port }], { stayMs: 120_000 });
      await expect.poll(() => fromProxy(0) + fromProxy(1), { timeout: 5000 }).toBe(1);
      landed.push(fromProxy(1) === 1 ? 2 : 1);
      // Bridged: each side hears the other's tone.
      await expect.poll(() => peer.strongest(candidates, 1000).hz, { timeout: 20_000, interval: 200 }).toBe(operatorHz);
      await expect.poll(() => operatorPeer.strongest(candidates, 1000).hz, { timeout: 5000, interval: 200 }).toBe(hz);
      if (landed.at(-1) === 2) await superviseOnNode2(`1350000920${i}`, hz, peer);
    }
    expect(supervisedOnNode2).toBe(true);
    // Round robin: one caller on each node; the one on node2 reached node1's operator over trunk-node1.
    expect([...landed].sort()).toEqual([1, 2]);

    // The second caller is bridged now. Kill the controller holding both nodes.
    expect(reconciled(second)).toBe(0);
    const killedAt = Date.now();
    await first.kill();
    // Polled longer than the bound, so that a slow hand-over fails on the bound with its measured time.
    await expect.poll(() => reconciled(second), { timeout: 20_000, interval: 50 }).toBe(2);
    // Issue 22: the other controller has the calls within 5 s (lease 3 s + up to one 1 s retry: measured 3.7 s
    // idle). Measured from the SIGKILL to the time the second controller stamped on its own "reconciled" line, not
    // to when this process read it: the line's way over the child's stdout and this poll's turn for a CPU are
    // delays of a loaded machine outside the hand-over.
    const seenMs = Date.now() - killedAt;
    const adoptedAt = Math.max(...second.lines.filter((l) => l.msg === 'reconciled calls with ARI').map((l) => Number(l.time)));
    const tookOverMs = adoptedAt - killedAt;
    console.log(`test/asterisk/cluster-controllers.test.ts: both nodes adopted ${tookOverMs} ms after the holder's SIGKILL (seen here after ${seenMs} ms)`);
    expect(tookOverMs).toBeGreaterThan(0);
    expect(tookOverMs).toBeLessThan(5000);
    // The bridged call went on: each other's tone still (polled; a call torn down in the hand-over never gets it back).
    const caller = peers.at(-1)!;
    expect(fromProxy(0) + fromProxy(1)).toBe(1);
    await expect.poll(() => caller.strongest(candidates, 1000).hz, { timeout: 10_000, interval: 200 }).toBe(operatorHz);
    await expect.poll(() => operatorPeer.strongest(candidates, 1000).hz, { timeout: 10_000, interval: 200 }).toBe(caller.toneHz);
    expect(fromProxy(0) + fromProxy(1)).toBe(1);

    cluster.nodes.forEach((n) => n.cli('channel request hangup all'));
    expect((await last!.done).code).toBe(0);
    // One record per call, answered, closed once.
    await expect
      .poll(async () => (await court.pgc.query<{ outcome: string | null }>('select outcome from telephony.calls where ended_at is not null')).rows.map((r) => r.outcome), { timeout: 15_000 })
      .toEqual(['answered', 'answered']);
    expect((await court.pgc.query('select count(*)::int as n from telephony.calls')).rows[0].n).toBe(2);
  }, 180_000);
});
