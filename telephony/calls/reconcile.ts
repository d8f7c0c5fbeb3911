import type { BridgeInfo, ChannelInfo } from '../ari/types.ts';
import type { CallSnapshot } from './call-store.ts';

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

const legId = /^(.+)-op\d+$/;
const bridgeId = /^([0-9a-f-]{36})-br$/;

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
    const leg = s.operator ? channels.get(s.operator.channelId) : undefined;
    const bridge = s.bridgeId ? bridges.get(s.bridgeId) : undefined;
    keepChannels.add(s.channelId);
    if (leg) keepChannels.add(leg.id);
    if (bridge) keepBridges.add(bridge.id);
    plan.adopt.push({
      snapshot,
      operatorUp: leg !== undefined,
      operatorAnswered: leg?.state === 'Up',
      bridged: bridge !== undefined && bridge.channelIds.includes(s.channelId) && leg !== undefined && bridge.channelIds.includes(leg.id),
    });
  }

  for (const channel of view.channels) {
    if (keepChannels.has(channel.id) || held.channel(channel.id)) continue;
    const leg = legId.exec(channel.id);
    if (leg && channel.callId === leg[1]) plan.hangup.push(channel.id);
    else if (inApp.has(channel.id)) plan.unknownCallers.push(channel);
  }
  for (const bridge of view.bridges) {
    const ours = bridgeId.exec(bridge.id);
    if (ours && !keepBridges.has(bridge.id) && !held.call(ours[1]!)) plan.destroyBridges.push(bridge.id);
  }
  return plan;
}
