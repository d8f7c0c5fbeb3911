import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realAsteriskMissing } from './asterisk-instance.ts';
import { callsThroughProxy, kamailioMissing, removeSippFiles, startCluster, type Cluster } from './cluster-rig.ts';
import { pace, RtpPeer } from './rtp-peer.ts';
import { mediaContact, mediaPhones, register, type SippRun } from './sipp.ts';

/**
 * Two Asterisk nodes on loopback behind Kamailio (asterisk-config/kamailio/, docs/deployment.md "Cluster"),
 * configured by generate.sh as a deployment is. sipp callers come in through Kamailio as a carrier's calls do.
 * No controller runs: each node's calls take the dialplan fallback (Stasis fails), whose ring group on node2 is
 * the operator registered on node1, over node2's trunk-node1. Skipped without asterisk, sipp or kamailio.
 */
const missing = realAsteriskMissing() ?? kamailioMissing();
if (missing) console.log(`test/asterisk/cluster.test.ts skipped: ${missing}`);

const operator = 'op9101';
const password = 'cluster-test-secret';
/** Tones: the caller's, the operator's, and the nodes' hold music (asterisk-instance.ts) that must not be heard. */
const callerHz = 600;
const operatorHz = 1000;
const holdHz = 440;

describe.skipIf(missing !== undefined)('two Asterisk nodes behind Kamailio', () => {
  let cluster: Cluster;
  const running: SippRun[] = [];
  beforeAll(async () => {
    // Each node rings the operator when its call takes the fallback: node1 where the softphone is registered,
    // node2 over the trunk to node1 (the dial string the controller uses too, docs/telephony.md).
    cluster = await startCluster([
      { name: 'node1', operatorMedia: 'rtp', globals: { FALLBACK_RING_SECONDS: '20' } },
      { name: 'node2', operatorMedia: 'rtp', globals: { FALLBACK_RING_SECONDS: '20' } },
    ]);
    // As extensions_hotline_users.conf would set it (the shipped line is empty, so set at run time).
    cluster.nodes[0]!.cli(`dialplan set global HOTLINE_OPERATORS PJSIP/${operator}`);
    cluster.nodes[1]!.cli(`dialplan set global HOTLINE_OPERATORS PJSIP/${operator}@trunk-node1`);
  }, 90_000);
  afterAll(async () => {
    running.forEach((r) => r.stop());
    await cluster?.stop();
    removeSippFiles();
  });

  const [node1, node2] = [() => cluster.nodes[0]!, () => cluster.nodes[1]!];
  const fromProxy = (i: number) => cluster.nodes[i]!.channels('PJSIP/proxy-').length;
  /** The node hangs its calls up: its BYE must reach the caller through the proxy (Record-Route), who answers. */
  const hangUpAll = async (run: Awaited<ReturnType<typeof callsThroughProxy>>, i: number) => {
    cluster.nodes[i]!.cli('channel request hangup all');
    const result = await run.done;
    expect(result.code, result.output.slice(-2000)).toBe(0);
    await expect.poll(() => cluster.nodes[i]!.channels('PJSIP/').length, { timeout: 15_000 }).toBe(0);
  };

  it('probes both nodes and spreads new calls over them in turn', async () => {
    expect(cluster.dispatcher().map((d) => d.flags)).toEqual(['AP', 'AP']);
    expect(cluster.dispatcher().map((d) => d.uri).sort()).toEqual(cluster.nodes.map((n) => `sip:127.0.0.1:${n.sipPort}`).sort());
    const calls = Array.from({ length: 10 }, (_, i) => ({ caller: `1380000${String(i).padStart(4, '0')}`, mediaPort: 9 }));
    const run = await callsThroughProxy(cluster.proxyPort, calls, { stayMs: 6000, ratePerSecond: 10 });
    // All ten are up by now (placed within 1 s, answered at once by the fallback).
    await expect.poll(() => fromProxy(0) + fromProxy(1), { timeout: 15_000 }).toBe(10);
    expect([fromProxy(0), fromProxy(1)]).toEqual([5, 5]);
    const result = await run.done;
    expect(result.code, result.output.slice(-2000)).toBe(0);
    expect(result.failed).toBe(0);
  }, 60_000);

  it('puts a caller on node2 through to the operator registered on node1, with audio both ways', async () => {
    const operatorPeer = await RtpPeer.open(operatorHz);
    const callerPeer = await RtpPeer.open(callerHz);
    const pacing = pace(() => [operatorPeer, callerPeer]);
    try {
      const phones = await mediaPhones({ ringMs: 300 });
      running.push(phones);
      writeOperator(node1(), operator, password);
      await register(node1(), { user: operator, password, contactPort: phones.port, contactUser: mediaContact(operator, operatorPeer.port) });
      // Round robin: one call lands on each node; the first one is waited out on whichever node it reached.
      let onNode2 = false;
      for (let attempt = 0; attempt < 2 && !onNode2; attempt++) {
        const run = await callsThroughProxy(cluster.proxyPort, [{ caller: '13900009101', mediaPort: callerPeer.port }], { stayMs: 12_000 });
        await expect.poll(() => fromProxy(0) + fromProxy(1), { timeout: 15_000 }).toBe(1);
        onNode2 = fromProxy(1) === 1;
        if (!onNode2) {
          await hangUpAll(run, 0);
          continue;
        }
        // The fallback answers, plays its 4 s notice, dials trunk-node1; node1 takes it in from-nodes and rings the
        // phone, which answers after 300 ms.
        await expect.poll(() => node1().channels('PJSIP/trunk-node2-').length, { timeout: 10_000 }).toBe(1);
        await expect.poll(() => node2().channels('PJSIP/trunk-node1-').length, { timeout: 10_000 }).toBe(1);
        await expect.poll(() => node1().channels(`PJSIP/${operator}-`).length, { timeout: 10_000 }).toBe(1);
        // Bridged audio: each side must come to hear the other's tone, not the hold music, over its last second
        // (polled, not a fixed wait: on a loaded machine the bridge's first second of audio may come late).
        const candidates = [holdHz, callerHz, operatorHz];
        const hearing = (peer: RtpPeer) => {
          const top = peer.strongest(candidates, 1000);
          return { enoughPackets: peer.packetsWithin(1000) > 25, hz: top.hz, clear: top.ratio > 2 };
        };
        await expect.poll(() => hearing(callerPeer), { timeout: 15_000, interval: 200 }).toEqual({ enoughPackets: true, hz: operatorHz, clear: true });
        await expect.poll(() => hearing(operatorPeer), { timeout: 15_000, interval: 200 }).toEqual({ enoughPackets: true, hz: callerHz, clear: true });
        await hangUpAll(run, 1);
        await expect.poll(() => node1().channels('PJSIP/').length, { timeout: 15_000 }).toBe(0);
      }
      expect(onNode2).toBe(true);
    } finally {
      pacing.stop();
      operatorPeer.close();
      callerPeer.close();
    }
  }, 90_000);

  it("takes a node's trunk only from that node's address", async () => {
    // node2 names a request from user trunk-node1 as its endpoint trunk-node1 (username first), which permits
    // only node1's address: from 127.0.0.2 it is refused, however it names itself.
    const spoofed = await callsThroughProxy(node2().sipPort, [{ caller: 'trunk-node1', mediaPort: 9 }], { stayMs: 1000, localIp: '127.0.0.2' });
    const result = await spoofed.done;
    expect(result.code).not.toBe(0);
    // Asterisk answers an endpoint's ACL failure with a challenge no password can meet (401), as for any unknown caller.
    expect(result.output).toMatch(/SIP\/2\.0 401/);
    expect(node2().channels('PJSIP/').length).toBe(0);
    // From node1's address the same request is taken in, unchallenged: from-nodes finds no endpoint "12368" to ring.
    const genuine = await callsThroughProxy(node2().sipPort, [{ caller: 'trunk-node1', mediaPort: 9 }], { stayMs: 1000 });
    const taken = await genuine.done;
    expect(taken.output).not.toMatch(/SIP\/2\.0 40[13]/);
    expect(taken.output).toMatch(/SIP\/2\.0 404 Not Found/);
  }, 30_000);

  it('stops sending to a killed node within the probe interval, no call placed meanwhile fails, and takes it back once it answers again', async () => {
    await expect.poll(() => fromProxy(0) + fromProxy(1), { timeout: 10_000 }).toBe(0);
    const killedAt = Date.now();
    node2().kill();
    // Twenty calls over the next 2 s, while Kamailio still counts node2 in: those sent there get no answer, time
    // out after tm's fr_timer (2 s) and the failure route sends them to node1.
    const calls = Array.from({ length: 20 }, (_, i) => ({ caller: `1370000${String(i).padStart(4, '0')}`, mediaPort: 9 }));
    const run = await callsThroughProxy(cluster.proxyPort, calls, { stayMs: 4000, ratePerSecond: 10 });
    const node2State = () => cluster.dispatcher().find((d) => d.uri === `sip:127.0.0.1:${node2().sipPort}`)?.flags;
    // Polled generously: the requirement checked below is the detection time, not how long this poll may take.
    await expect.poll(node2State, { timeout: 20_000, interval: 50 }).toMatch(/^I/);
    const detectedMs = Date.now() - killedAt;
    console.log(`test/asterisk/cluster.test.ts: node2 marked inactive ${detectedMs} ms after SIGKILL`);
    // Not before a probe can have timed out (fr_timer 2 s): marked down by failed probes, not by something else.
    expect(detectedMs).toBeGreaterThan(1500);
    // Issue 22: new calls go to the other node within the probe interval. Nominal bound: fr_timer 2 s + one 2 s
    // ping interval = 4 s (measured 2.4–3.4 s idle). The bound is 8 s because on a loaded 2-core CI machine the
    // measured value also holds delays outside the system under test: sipp starting up beside it, Kamailio's timer
    // process and this poll waiting for a CPU, and each kamcmd run of node2State. What the issue cares about most,
    // that no call placed meanwhile is refused, is checked below without any time bound.
    expect(detectedMs).toBeLessThan(8000);
    const result = await run.done;
    expect(result.code, result.output.slice(-2000)).toBe(0);
    expect(result.failed).toBe(0);
    expect(cluster.proxyOutput()).toMatch(/node sip:127\.0\.0\.1:\d+ failed .*, trying the next/);

    // Once node2 is marked down, new calls go straight to node1 (no 2 s wait): the proxy logs no failed try for them.
    const failedTries = () => cluster.proxyOutput().match(/node sip:127\.0\.0\.1:\d+ failed .*, trying the next/g)?.length ?? 0;
    const failedBefore = failedTries();
    const after = await callsThroughProxy(cluster.proxyPort, calls.slice(0, 6).map((c) => ({ ...c, caller: c.caller.replace('137', '136') })), { stayMs: 3000 });
    await expect.poll(() => fromProxy(0), { timeout: 15_000 }).toBe(6);
    const afterResult = await after.done;
    expect(afterResult.code, afterResult.output.slice(-2000)).toBe(0);
    expect(failedTries()).toBe(failedBefore);

    // node2 started again: its first answered probe puts it back in rotation (measured 0.5–1 s idle, one ping
    // interval at most), and calls are shared again. The issue names no bound for this: the time is logged and the
    // poll only waits for the state (a loaded machine delays the probe's answer from the freshly booted Asterisk).
    // Started again with its generated systemname (generate.sh's node2/asterisk.conf line): channel ids say node2.
    appendFileSync(join(node2().etcDir, 'asterisk.conf'), `${readFileSync(join(cluster.dir, 'node2', 'asterisk.conf'), 'utf8').split('\n').find((l) => l.startsWith('systemname'))}\n`);
    await node2().restart();
    const bootedAt = Date.now();
    await expect.poll(node2State, { timeout: 30_000, interval: 50 }).toMatch(/^A/);
    console.log(`test/asterisk/cluster.test.ts: node2 back in rotation ${Date.now() - bootedAt} ms after its restart`);
    const back = await callsThroughProxy(cluster.proxyPort, calls.slice(0, 4).map((c) => ({ ...c, caller: c.caller.replace('137', '135') })), { stayMs: 3000 });
    await expect.poll(() => fromProxy(0) + fromProxy(1), { timeout: 15_000 }).toBe(4);
    expect([fromProxy(0), fromProxy(1)]).toEqual([2, 2]);
    const node2Channels = node2().channels('PJSIP/proxy-');
    expect(node2Channels.every((l) => /!node2-\d+\.\d+$/.test(l)), node2Channels.join('\n')).toBe(true);
    const backResult = await back.done;
    expect(backResult.code, backResult.output.slice(-2000)).toBe(0);
  }, 90_000);
});

/** The operator's endpoint on a node, as `npm run telephony:endpoints` writes it (pjsip_hotline_users.conf). */
function writeOperator(node: Cluster['nodes'][number], name: string, secret: string): void {
  writeFileSync(
    join(node.etcDir, 'pjsip_hotline_users.conf'),
    [`[${name}](operator-endpoint)`, `auth = ${name}`, `aors = ${name}`, `[${name}](operator-auth)`, `username = ${name}`, `password = ${secret}`, `[${name}](operator-aor)`, ''].join('\n'),
  );
  node.cli('module reload res_pjsip.so');
}
