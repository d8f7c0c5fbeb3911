import type { SimAsterisk } from './asterisk.ts';
import type { SimBridge } from './bridge.ts';
import type { SimChannel } from './channel.ts';

/**
 * Sets a peer variable; clearing one the channel does not have emits nothing (traces barge, snoop-listen: a phone
 * that joins a three-party bridge or a snoop channel's bridge never gets BRIDGEPVTCALLID, set or cleared).
 */
export function setPeerVar(ast: SimAsterisk, channel: SimChannel, variable: 'BRIDGEPEER' | 'BRIDGEPVTCALLID', value: string): void {
  if (value === '' && !channel.vars.get(variable)) return;
  ast.setVar(channel, variable, value);
}

/** BRIDGEPEER / BRIDGEPVTCALLID as Asterisk sets them on every member of a mixing bridge (the joining one first). */
export function announcePeers(ast: SimAsterisk, bridge: SimBridge, first: SimChannel, recorder: string | null = null): void {
  if (bridge.type !== 'mixing' || bridge.channelIds.length < 2) return;
  // The most recent member first (trace barge: the third phone's BRIDGEPEER is `<second>,<first>`).
  const members = [first, ...[...bridge.channelIds].reverse().filter((id) => id !== first.id).map((id) => ast.channels.get(id))].filter(
    (c): c is SimChannel => c !== undefined,
  );
  for (const channel of members) {
    const others = members.filter((c) => c !== channel);
    const peerNames = others.map((c) => c.name);
    if (recorder) peerNames.unshift(recorder);
    setPeerVar(ast, channel, 'BRIDGEPEER', peerNames.join(','));
    setPeerVar(ast, channel, 'BRIDGEPVTCALLID', !recorder && others.length === 1 ? (others[0]?.protocolId ?? '') : '');
  }
}
