import type { BridgeInfo, ChannelInfo } from '../ari/types.ts';
import type { CallSnapshot } from './call-store.ts';
import type { LegView } from './types.ts';
import { isSupervisionChannel } from '../supervision/ids.ts';

/** What ARI shows after a (re)connect. */
export interface AriView {
  channels: ChannelInfo[];
  bridges: BridgeInfo[];
  /** Channels subscribed to this Stasis app. */
  appChannelIds: string[];
}

export interface Adoption {
  snapshot: CallSnapshot;
  operatorUp: boolean;
  operatorAnswered: boolean;
  bridged: boolean;
  target?: LegView;
}

export interface ReconcilePlan {
  /** Saved calls whose caller is still there: this controller takes them over. */
  adopt: Adoption[];
  /** Saved calls whose caller's channel is gone: they ended while no controller was connected. */
  vanished: CallSnapshot[];
  /** Channels in the app that no saved call knows (saved too late, or Redis lost): looked up in the call rows. */
  unknownCallers: ChannelInfo[];
  /** Operator legs that belong to no live call. */
  hangup: string[];
  /** The hotline's bridges that belong to no live call. */
  destroyBridges: string[];
}

/** Operator legs `<call>-op<n>` and transfer legs `<call>-tr<n>`. */
const legId = /^(.+)-(?:op|tr)\d+$/;
/** The call's bridges: with the operator `-br[<n>]`, a consultation `-cb<n>`, with a transfer target `-tb<n>`. */
const bridgeId = /^([0-9a-f-]{36})-(?:br\d*|cb\d+|tb\d+)$/;

/**
 * Pure: matches ARI's channels and bridges with the calls saved in Redis. `held` tells which calls this
 * controller already has in memory (a websocket drop, not a restart): those are resynchronised apart.
 */
export function planReconcile(view: AriView, snapshots: CallSnapshot[], held: { call(callId: string): boolean; channel(channelId: string): boolean }): ReconcilePlan {
  const channels = new Map(view.channels.map((c) => [c.id, c]));
  const bridges = new Map(view.bridges.map((b) => [b.id, b]));
  const inApp = new Set(view.appChannelIds);
  const plan: ReconcilePlan = { adopt: [], vanished: [], unknownCallers: [], hangup: [], destroyBridges: [] };
  const keepChannels = new Set<string>();
  const keepBridges = new Set<string>();

  for (const snapshot of snapshots) {
    const s = snapshot.state;
    if (held.call(s.callId)) continue;
    if (!channels.has(s.channelId)) {
      plan.vanished.push(snapshot);
      continue;
    }
    const leg = s.operator && !s.operatorLeft ? channels.get(s.operator.channelId) : undefined;
    const bridge = s.bridgeId ? bridges.get(s.bridgeId) : undefined;
    const target = s.transfer ? channels.get(s.transfer.channelId) : undefined;
    const consult = s.transfer?.consultBridgeId ? bridges.get(s.transfer.consultBridgeId) : undefined;
    keepChannels.add(s.channelId);
    for (const ch of [leg, target]) if (ch) keepChannels.add(ch.id);
    for (const b of [bridge, consult]) if (b) keepBridges.add(b.id);
    const adoption: Adoption = {
      snapshot,
      operatorUp: leg !== undefined,
      operatorAnswered: leg?.state === 'Up',
      bridged: bridge !== undefined && bridge.channelIds.includes(s.channelId) && leg !== undefined && bridge.channelIds.includes(leg.id),
    };
    if (s.transfer) {
      const withTarget = (b: typeof bridge) => b !== undefined && target !== undefined && b.channelIds.includes(target.id);
      adoption.target = { up: target !== undefined, answered: target?.state === 'Up', bridged: withTarget(bridge) || withTarget(consult) };
    }
    plan.adopt.push(adoption);
  }

  for (const channel of view.channels) {
    // A supervisor's leg and snoop channels are the supervision's (supervision/reconnect.ts): never callers.
    if (keepChannels.has(channel.id) || held.channel(channel.id) || isSupervisionChannel(channel.id)) continue;
    const leg = legId.exec(channel.id);
    if (leg && channel.callId === leg[1]) plan.hangup.push(channel.id);
    else if (inApp.has(channel.id)) plan.unknownCallers.push(channel);
  }
  // A bridge of a call being taken over stays even if its saved state predates it (killed between creating the
  // bridge and saving): the resumed call bridges again under the same id, which ARI treats as create-or-update.
  const adopted = new Set(plan.adopt.map((a) => a.snapshot.state.callId));
  for (const bridge of view.bridges) {
    const ours = bridgeId.exec(bridge.id);
    if (ours && !keepBridges.has(bridge.id) && !held.call(ours[1]!) && !adopted.has(ours[1]!)) plan.destroyBridges.push(bridge.id);
  }
  return plan;
}
