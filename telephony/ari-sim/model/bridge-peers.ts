import type { SimAsterisk } from './asterisk.ts';
import type { SimBridge } from './bridge.ts';
import type { SimChannel } from './channel.ts';

/** BRIDGEPEER / BRIDGEPVTCALLID as Asterisk sets them on every member of a mixing bridge (the joining one first). */
export function announcePeers(ast: SimAsterisk, bridge: SimBridge, first: SimChannel, recorder: string | null = null): void {
  if (bridge.type !== 'mixing' || bridge.channelIds.length < 2) return;
  const members = [first, ...bridge.channelIds.filter((id) => id !== first.id).map((id) => ast.channels.get(id))].filter(
    (c): c is SimChannel => c !== undefined,
  );
  for (const channel of members) {
    const others = members.filter((c) => c !== channel);
    const peerNames = others.map((c) => c.name);
    if (recorder) peerNames.unshift(recorder);
    ast.setVar(channel, 'BRIDGEPEER', peerNames.join(','));
    ast.setVar(channel, 'BRIDGEPVTCALLID', !recorder && others.length === 1 ? (others[0]?.protocolId ?? '') : '');
  }
}
