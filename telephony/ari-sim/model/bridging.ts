import { ariTimestamp, uuid } from '../format.ts';
import type { SimAsterisk } from './asterisk.ts';
import { SimBridge, type BridgeType } from './bridge.ts';
import type { SimChannel } from './channel.ts';
import { announcePeers, setPeerVar } from './bridge-peers.ts';
import { finishBridgeMedia } from './media.ts';

export function createBridge(ast: SimAsterisk, type: BridgeType, name: string, id?: string): SimBridge {
  const bridge = new SimBridge(id ?? uuid(), type, name, ariTimestamp());
  ast.bridges.set(bridge.id, bridge);
  return bridge;
}

function bridgeEvent(ast: SimAsterisk, type: 'ChannelEnteredBridge' | 'ChannelLeftBridge', bridge: SimBridge, channel: SimChannel): void {
  ast.hub.emitEvent(channel.app, type, { bridge: bridge.toJson(), channel: ast.channelJson(channel) });
}

/**
 * The originated leg and the peer learn each other's caller id when they meet in a two-party bridge; the peer's
 * ChannelConnectedLine (and the leg's) comes only when its connected line changes (an originate without callerId leaves it empty:
 * traces barge, snoop-listen).
 */
function exchangeConnectedLine(ast: SimAsterisk, joining: SimChannel, other: SimChannel): void {
  const update = (channel: SimChannel, line: SimChannel['connected']) => {
    if (channel.connected.name === line.name && channel.connected.number === line.number) return;
    channel.connected = { ...line };
    ast.emitChannel('ChannelConnectedLine', channel);
  };
  update(joining, other.caller);
  update(other, joining.caller);
}

export function joinBridge(ast: SimAsterisk, bridge: SimBridge, channel: SimChannel): void {
  if (channel.bridgeId === bridge.id) return;
  if (channel.bridgeId) leaveBridge(ast, channel, { settle: true });
  bridge.channelIds.push(channel.id);
  if (channel.kind === 'snoop') bridge.nonRtpIds.add(channel.id);
  channel.bridgeId = bridge.id;
  if (channel.app) bridge.apps.add(channel.app);
  bridgeEvent(ast, 'ChannelEnteredBridge', bridge, channel);
  if (bridge.type === 'mixing' && bridge.channelIds.length >= 2) {
    announcePeers(ast, bridge, channel);
    const other = bridge.channelIds.length === 2 ? ast.channels.get(bridge.channelIds[0] ?? '') : undefined;
    if (other && channel.kind === 'originated') {
      announcePeers(ast, bridge, channel);
      exchangeConnectedLine(ast, channel, other);
    }
  }
  bridge.settleTechnology();
}

/** Takes a channel out of its bridge: clears its BRIDGEPEER, then ChannelLeftBridge (snapshot before re-evaluation). */
export function leaveBridge(ast: SimAsterisk, channel: SimChannel, options: { settle: boolean }): void {
  const bridge = channel.bridgeId ? ast.bridges.get(channel.bridgeId) : undefined;
  channel.bridgeId = null;
  if (!bridge) return;
  setPeerVar(ast, channel, 'BRIDGEPEER', '');
  setPeerVar(ast, channel, 'BRIDGEPVTCALLID', '');
  const index = bridge.channelIds.indexOf(channel.id);
  if (index >= 0) bridge.channelIds.splice(index, 1);
  bridge.nonRtpIds.delete(channel.id);
  bridgeEvent(ast, 'ChannelLeftBridge', bridge, channel);
  if (options.settle) bridge.settleTechnology();
}

/** DELETE /bridges/{id}: peers cleared, every channel leaves, then (usually) BridgeDestroyed. */
export function destroyBridge(ast: SimAsterisk, bridge: SimBridge): void {
  finishBridgeMedia(ast, bridge);
  const members = bridge.channelIds.map((id) => ast.channels.get(id)).filter((c): c is SimChannel => c !== undefined);
  for (const channel of members) {
    setPeerVar(ast, channel, 'BRIDGEPEER', '');
    setPeerVar(ast, channel, 'BRIDGEPVTCALLID', '');
  }
  for (const channel of members) {
    channel.bridgeId = null;
    bridge.channelIds.splice(bridge.channelIds.indexOf(channel.id), 1);
    bridgeEvent(ast, 'ChannelLeftBridge', bridge, channel);
  }
  ast.bridges.delete(bridge.id);
  ast.pruneApps();
  if (ast.options.emitBridgeDestroyed && bridge.type === 'mixing') {
    for (const app of bridge.apps) ast.hub.emitEvent(app, 'BridgeDestroyed', { bridge: bridge.toJson() });
  }
}
