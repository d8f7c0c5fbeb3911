import { afterAll, describe, expect, it } from 'vitest';
import { realAsteriskMissing, rtpPortsPerInstance } from './asterisk-instance.ts';
import { useRealHotline, sipPasswordOf, type RealHotline } from './real-hotline.ts';
import { audioFaults, bridgedPairs, type BridgedPair } from './media-calls.ts';
import { pace, RtpPeer } from './rtp-peer.ts';
import { mediaContact, mediaPhones, placeMediaCalls, register, type SippRun } from './sipp.ts';

/**
 * Fifty calls at once against a real Asterisk 22: sipp does the SIP of fifty callers and fifty operators' phones
 * (plain RTP operator endpoints, this Asterisk's test configuration only), and each leg's audio is an RtpPeer of
 * this test playing a tone of its own. Every caller keys 0, every operator answers, and once all fifty calls are
 * bridged each side must hear the other's tone: the caller the tone of the operator it is bridged with, and the
 * operator the caller's. Skipped like the rest of test/asterisk/ without asterisk and sipp.
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/many-calls.test.ts skipped: ${missing}`);

const calls = 50;
const operators = Array.from({ length: calls }, (_, i) => `op${5001 + i}`);
const callerNumber = (i: number) => `137${String(i + 1).padStart(8, '0')}`;
const callerIndex = (number: string) => Number(number.slice(3)) - 1;
// Every leg's tone is its own, 25 Hz apart: what a leg hears names who it is connected to.
const callerHz = (i: number) => 500 + 25 * i;
const operatorHz = (i: number) => 2000 + 25 * i;
/** Hold music (asterisk-instance.ts) and every leg's tone: what a leg might hear. */
const heardCandidates = [440, ...operators.map((_, i) => callerHz(i)), ...operators.map((_, i) => operatorHz(i))];

describe.skipIf(missing !== undefined)('fifty concurrent bridged calls on a real Asterisk 22', async () => {
  const h = missing
    ? (undefined as unknown as RealHotline)
    : await useRealHotline({
        operators,
        desks: {},
        operatorMedia: 'rtp',
        // No caller gives up or falls out of the menu while fifty are set up on a loaded machine.
        env: () => ({ TELEPHONY_MAX_WAIT_SECONDS: '300', TELEPHONY_MENU_TIMEOUT_SECONDS: '20', LOG_LEVEL: 'warn' }),
      });
  const peers: RtpPeer[] = [];
  const running: SippRun[] = [];
  let pacing: { stop(): void } | undefined;
  afterAll(() => {
    pacing?.stop();
    for (const run of running) run.stop();
    for (const peer of peers) peer.close();
  });

  it('fifty callers key 0 and are bridged with fifty operators; audio flows both ways on every call; one answered row per call', async () => {
    // The instance's RTP range holds both legs of every call.
    const range = /Port start:\s+(\d+)\s+Port end:\s+(\d+)/.exec(h.asterisk.cli('rtp show settings'));
    expect(range && Number(range[2]) - Number(range[1]) + 1).toBe(rtpPortsPerInstance);
    expect(Number(range![2])).toBeLessThan(32768);

    const operatorPeers = await Promise.all(operators.map((_, i) => RtpPeer.open(operatorHz(i))));
    const callerPeers = await Promise.all(operators.map((_, i) => RtpPeer.open(callerHz(i))));
    peers.push(...operatorPeers, ...callerPeers);
    pacing = pace(() => peers);
    const phones = await mediaPhones({ ringMs: 300 });
    running.push(phones);
    for (let i = 0; i < calls; i += 10) {
      await Promise.all(
        operators.slice(i, i + 10).map(async (op, j) => register(h.asterisk, { user: op, password: await sipPasswordOf(h, op), contactPort: phones.port, contactUser: mediaContact(op, operatorPeers[i + j]!.port) })),
      );
    }
    for (const op of operators) await h.rt.service.setPresence(h.users[op]!, 'ready');

    const started = Date.now();
    for (const peer of callerPeers) peer.pressOnAnswer('0', 1500);
    const callers = await placeMediaCalls(
      h.asterisk,
      callerPeers.map((peer, i) => ({ caller: callerNumber(i), mediaPort: peer.port })),
      { stayMs: 150_000, ratePerSecond: 10 },
    );
    running.push(callers);
    let pairs: BridgedPair[] = [];
    await expect.poll(async () => (pairs = await bridgedPairs(h.ari)).length, { timeout: 90_000, interval: 500 }).toBe(calls);
    const bridgedMs = Date.now() - started;
    // Each caller with an operator of its own.
    expect(new Set(pairs.map((p) => p.callerNumber)).size).toBe(calls);
    expect(new Set(pairs.map((p) => p.operator)).size).toBe(calls);

    const legPeers = { caller: (n: string) => callerPeers[callerIndex(n)]!, operator: (e: string) => operatorPeers[operators.indexOf(e)]! };
    await expect.poll(() => audioFaults(pairs, legPeers, heardCandidates), { timeout: 15_000, interval: 500 }).toEqual([]);
    console.log(`${calls} calls bridged ${bridgedMs} ms after the first was placed; audio both ways on every leg ${Date.now() - started} ms after`);

    // The test hangs the callers up (Asterisk's BYE to each), and the controller the operators.
    for (const p of pairs) await h.ari(`/channels/${p.callerChannel}`, { method: 'DELETE' });
    const ended = await callers.done;
    expect(ended.code, ended.output.slice(-3000)).toBe(0);
    await expect.poll(async () => (await h.ari('/channels')).length, { timeout: 30_000 }).toBe(0);

    const closed = async () => (await h.pgc.query(`select count(*)::int as n from telephony.calls where outcome is not null`)).rows[0].n;
    await expect.poll(closed, { timeout: 30_000 }).toBe(calls);
    await h.rt.journal.caughtUp(30_000);
    const { rows } = await h.pgc.query<{ id: string; channel_id: string; caller_number: string; outcome: string; answered_by: string }>(
      `select id, channel_id, caller_number, outcome, answered_by from telephony.calls order by caller_number`,
    );
    expect(rows).toHaveLength(calls);
    const { rows: events } = await h.pgc.query<{ call_id: string; kind: string }>(`select call_id, kind from telephony.call_events order by call_id, seq`);
    for (const p of pairs) {
      const row = rows.find((r) => r.channel_id === p.callerChannel);
      expect(row, `the row of ${p.callerNumber}`).toMatchObject({ caller_number: p.callerNumber, outcome: 'answered', answered_by: h.users[p.operator] });
      const kinds = events.filter((e) => e.call_id === row!.id).map((e) => e.kind);
      expect(kinds[0]).toBe('arrived');
      expect(kinds.filter((k) => k === 'answered')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'hangup')).toHaveLength(1);
      expect(kinds.at(-1)).toBe('hangup');
    }
  }, 170_000);
});
