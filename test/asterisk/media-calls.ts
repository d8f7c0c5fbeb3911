import type { RtpPeer } from './rtp-peer.ts';

/** A caller (trunk channel) and an operator's phone, both Up in one bridge. */
export interface BridgedPair {
  bridgeId: string;
  callerChannel: string;
  callerNumber: string;
  operatorChannel: string;
  /** The operator's endpoint, e.g. op5001. */
  operator: string;
}

interface Channel {
  id: string;
  name: string;
  state: string;
  caller: { number: string };
}

/** Every bridge holding an Up caller and an Up operator's channel, as ARI shows it. */
export async function bridgedPairs(ari: (path: string) => Promise<any>): Promise<BridgedPair[]> {
  const [bridges, channels]: [Array<{ id: string; channels: string[] }>, Channel[]] = await Promise.all([ari('/bridges'), ari('/channels')]);
  const byId = new Map(channels.map((c) => [c.id, c]));
  const pairs: BridgedPair[] = [];
  for (const b of bridges) {
    const members = b.channels.map((id) => byId.get(id)).filter((c): c is Channel => c?.state === 'Up');
    const caller = members.find((c) => c.name.startsWith('PJSIP/trunk-'));
    const operator = members.map((c) => /^PJSIP\/(op\d+)-/.exec(c.name)).find((m) => m !== null);
    if (!caller || !operator) continue;
    pairs.push({ bridgeId: b.id, callerChannel: caller.id, callerNumber: caller.caller.number, operatorChannel: members.find((c) => c.name === operator.input)!.id, operator: operator[1]! });
  }
  return pairs;
}

/**
 * What is wrong with the audio of each bridged call: each leg must have received half the nominal 50 packets or
 * more in the last second, and the strongest of the `candidates` tones in them must be the other leg's, twice the
 * next or more. (Loose on purpose: with the rest of the suite running beside it on 2 cores, the test's own RTP peers
 * send late and ~39 packets a second arrive; mixing in another leg's tone or the hold music would still fail.)
 */
export function audioFaults(pairs: BridgedPair[], peers: { caller(number: string): RtpPeer; operator(endpoint: string): RtpPeer }, candidates: number[]): string[] {
  const faults: string[] = [];
  for (const p of pairs) {
    const caller = peers.caller(p.callerNumber);
    const operator = peers.operator(p.operator);
    const legs = [
      { who: `caller ${p.callerNumber}`, peer: caller, expected: operator.toneHz },
      { who: `operator ${p.operator}`, peer: operator, expected: caller.toneHz },
    ];
    for (const leg of legs) {
      const packets = leg.peer.packetsWithin(1000);
      const heard = leg.peer.strongest(candidates, 1000);
      if (packets < 25 || heard.hz !== leg.expected || heard.ratio < 2) faults.push(`${leg.who}: ${packets} packets in 1 s, strongest ${heard.hz} Hz (${heard.ratio.toFixed(1)}× the next), expected ${leg.expected} Hz`);
    }
  }
  return faults;
}
