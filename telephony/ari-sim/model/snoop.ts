import type { SimAsterisk } from './asterisk.ts';
import { enterStasis } from './calls.ts';
import type { SimChannel, SnoopDirection } from './channel.ts';

export interface SnoopRequest {
  spy: SnoopDirection;
  whisper: SnoopDirection;
  app: string;
  appArgs: string;
  snoopId?: string;
}

/**
 * POST /channels/{id}/snoop (traces snoop-listen, snoop-whisper): a channel `Snoop/<target id>-<8 hex>`, Up, no
 * protocol id, dialplan `default`/`s` in Stasis, whose StasisStart comes at once, with no ChannelDialplan or
 * STASISSTATUS before it. It is not RTP: a bridge of it and a phone stays `simple_bridge`.
 */
export function createSnoop(ast: SimAsterisk, target: SimChannel, request: SnoopRequest): SimChannel {
  const args = request.appArgs === '' ? [] : request.appArgs.split(',');
  const channel = ast.newChannel({
    kind: 'snoop',
    endpoint: 'Snoop',
    name: ast.allocateSnoopName(target.id),
    protocolId: '',
    dialplan: { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: [request.app, ...args].join(',') },
    state: 'Up',
    id: request.snoopId,
  });
  channel.snoop = { targetId: target.id, spy: request.spy, whisper: request.whisper };
  enterStasis(ast, channel, request.app, args);
  return channel;
}

/** The snoop channels attached to a channel (they go when it goes). */
export function snoopsOf(ast: SimAsterisk, target: SimChannel): SimChannel[] {
  return [...ast.channels.values()].filter((c) => c.snoop?.targetId === target.id && !c.ended);
}
