import type { SimAsterisk } from './asterisk.ts';
import { leaveBridge } from './bridging.ts';
import type { SimChannel } from './channel.ts';

export interface InboundCall {
  from: string;
  fromName: string;
  to: string;
  /** SIP Call-ID of the caller's INVITE (protocol_id). */
  callId: string;
}

export type InboundResult = { accepted: true; channel: SimChannel } | { accepted: false; name: string; sipStatus: 603 };

/**
 * A call from the PSTN trunk to the hotline number: dialplan `exten => 12368,1,Stasis(<app>)`.
 * If the app has no websocket, Stasis() fails at once: the caller gets 603 Decline and the channel never
 * shows in ARI (its name and id number are used up all the same).
 */
export function placeInboundCall(ast: SimAsterisk, app: string, call: InboundCall): InboundResult {
  if (!ast.hub.isActive(app)) {
    const name = ast.allocateChannelName('trunk');
    ast.skipChannelId();
    return { accepted: false, name, sipStatus: 603 };
  }
  const channel = ast.newChannel({
    kind: 'inbound',
    endpoint: 'trunk',
    protocolId: call.callId,
    caller: { name: call.fromName, number: call.from },
    dialplan: { context: 'from-pstn', exten: call.to, priority: 1, app_name: 'Stasis', app_data: app },
    state: 'Ring',
  });
  enterStasis(ast, channel, app, []);
  return { accepted: true, channel };
}

export function enterStasis(ast: SimAsterisk, channel: SimChannel, app: string, args: string[]): void {
  channel.app = app;
  channel.inStasis = true;
  // A snoop channel never gets STASISSTATUS (nor ChannelDestroyed) at its end.
  channel.wasInStasis = channel.kind !== 'snoop';
  ast.emitChannel('StasisStart', channel, { args });
}

/** POST /channels/{id}/answer: Ring → Up with ChannelStateChange; an answered channel stays as it is. */
export function answer(ast: SimAsterisk, channel: SimChannel): void {
  if (channel.state === 'Up') return;
  channel.ringingIndication = false;
  ast.setState(channel, 'Up');
}

/** POST /channels/{id}/continue: the channel leaves Stasis (StasisEnd) and the dialplan hangs it up. */
export function continueInDialplan(ast: SimAsterisk, channel: SimChannel): void {
  if (channel.bridgeId) leaveBridge(ast, channel, { settle: true });
  channel.inStasis = false;
  ast.emitChannel('StasisEnd', channel);
  ast.channels.delete(channel.id);
  channel.ended = true;
  ast.pruneApps();
}
