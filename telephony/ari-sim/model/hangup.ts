import type { SimAsterisk } from './asterisk.ts';
import { leaveBridge } from './bridging.ts';
import type { SimChannel } from './channel.ts';
import { causeText } from './causes.ts';
import { finishChannelMedia } from './media.ts';
import { snoopsOf } from './snoop.ts';

export interface HangupPlan {
  /** ChannelHangupRequest fields (cause/soft/tech_cause); null: no ChannelHangupRequest at all. */
  request: { cause?: number; soft?: boolean; tech_cause?: number } | null;
  /** ChannelDestroyed cause (only created and originated channels get ChannelDestroyed). */
  destroyCause: number;
  destroyTechCause?: number;
  /** Runs right after ChannelHangupRequest (originate busy puts `Dial BUSY` there). */
  afterRequest?: () => void;
}

const QOS_VALUES: Array<[string, string]> = [
  ['RTPAUDIOQOS', 'ssrc=%SSRC%;themssrc=0;lp=0;rxjitter=0.000000;rxcount=0;txjitter=0.000000;txcount=0;rlp=0;rtt=0.000000;rxmes=0.000000;txmes=0.000000'],
  ['RTPAUDIOQOSJITTER', 'minrxjitter=000.000000;maxrxjitter=000.000000;avgrxjitter=000.000000;stdevrxjitter=000.000000;mintxjitter=000.000000;maxtxjitter=000.000000;avgtxjitter=000.000000;stdevtxjitter=000.000000;'],
  ['RTPAUDIOQOSLOSS', '  minrxlost=000.000000;  maxrxlost=000.000000;  avgrxlost=000.000000;  stdevrxlost=000.000000;  mintxlost=000.000000;  maxtxlost=000.000000;  avgtxlost=000.000000;  stdevtxlost=000.000000;'],
  ['RTPAUDIOQOSRTT', '     minrtt=000.000000;     maxrtt=000.000000;     avgrtt=000.000000;     stdevrtt=000.000000;'],
  ['RTPAUDIOQOSMES', '   minrxmes=000.000000;   maxrxmes=000.000000;   avgrxmes=000.000000;   stdevrxmes=000.000000;   mintxmes=000.000000;   maxtxmes=000.000000;   avgtxmes=000.000000;   stdevtxmes=000.000000;'],
];

/**
 * RTP statistics set as variables when an answered channel hangs up; the one peer of a two-party mixing bridge gets
 * the *BRIDGED copies (native_rtp, or simple_bridge with a snoop channel: traces snoop-listen, snoop-whisper).
 */
function emitRtpStatistics(ast: SimAsterisk, channel: SimChannel): void {
  const bridge = channel.bridgeId ? ast.bridges.get(channel.bridgeId) : undefined;
  const twoParty = bridge && bridge.type === 'mixing' && bridge.channelIds.length === 2;
  const peerId = twoParty ? bridge.channelIds.find((id) => id !== channel.id) : undefined;
  const peer = peerId ? ast.channels.get(peerId) : undefined;
  const ssrc = String(Math.floor(Math.random() * 2 ** 31));
  for (const [variable, template] of QOS_VALUES) {
    const value = template.replace('%SSRC%', ssrc);
    ast.setVar(channel, variable, value);
    if (peer) ast.setVar(peer, `${variable}BRIDGED`, value);
  }
}

/**
 * Tears a channel down the way Asterisk 22 reports it: RTP statistics (if answered), ChannelHangupRequest,
 * leaving its bridge, StasisEnd, then for channels the app created or originated STASISSTATUS=SUCCESS and
 * ChannelDestroyed. Inbound channels never get ChannelDestroyed (they go back to the dialplan).
 */
export function endChannel(ast: SimAsterisk, channel: SimChannel, plan: HangupPlan): void {
  if (channel.ended) return;
  channel.ended = true;
  for (const timer of channel.dial?.timers ?? []) ast.cancel(timer);
  // Its snoop channels lose their audio source and hang up (not in the traces: extrapolated, as a far-end hangup).
  for (const snoop of snoopsOf(ast, channel)) endChannel(ast, snoop, { request: {}, destroyCause: 16 });
  if (channel.hadMedia) emitRtpStatistics(ast, channel);
  if (plan.request) ast.emitChannel('ChannelHangupRequest', channel, { ...plan.request });
  plan.afterRequest?.();
  // The rest is the channel's own thread noticing the hangup: on the websocket an app's DELETE is answered
  // between ChannelHangupRequest and StasisEnd (recording); over HTTP StasisEnd races the response.
  ast.hub.order.afterResponse(() => leaveAfterHangup(ast, channel, plan), { overHttp: false });
}

function leaveAfterHangup(ast: SimAsterisk, channel: SimChannel, plan: HangupPlan): void {
  // The hangup interrupts what the channel was playing or recording (the recording is kept).
  finishChannelMedia(ast, channel);
  if (channel.bridgeId) leaveBridge(ast, channel, { settle: true });
  if (channel.inStasis) {
    channel.inStasis = false;
    ast.emitChannel('StasisEnd', channel);
    ast.pruneApps();
  }
  if (channel.kind === 'created' || channel.kind === 'originated') {
    if (channel.wasInStasis) ast.setVar(channel, 'STASISSTATUS', 'SUCCESS');
    if (channel.kind === 'created') channel.dialplan = { ...channel.dialplan, app_name: '', app_data: '' };
    else channel.dialplan = { ...channel.dialplan, app_name: 'AppDial2', app_data: '(Outgoing Line)' };
    const fields: Record<string, unknown> = {
      cause: plan.destroyCause,
      cause_txt: causeText(plan.destroyCause),
    };
    if (plan.destroyTechCause !== undefined) fields.tech_cause = plan.destroyTechCause;
    ast.emitChannel('ChannelDestroyed', channel, fields);
  }
  ast.channels.delete(channel.id);
}

/**
 * App hangup (DELETE /channels/{id}): soft hangup, cause 32 (the soft-hangup flag) in the event; `cause` (reason or
 * reason_code, default 16) is the channel's hangup cause, which ChannelDestroyed and the far end get.
 * `afterRequest`: originate's final Dial for a leg still ringing (dialing.ts).
 */
export function hangupByApp(ast: SimAsterisk, channel: SimChannel, cause = 16, afterRequest?: () => void): void {
  endChannel(ast, channel, { request: { cause: 32, soft: true }, destroyCause: cause, ...(afterRequest ? { afterRequest } : {}) });
}

/** The caller hangs up: CANCEL before answer (cause 127, tech_cause 487), BYE after answer (no cause key). */
export function hangupByCaller(ast: SimAsterisk, channel: SimChannel): void {
  if (channel.state === 'Up') endChannel(ast, channel, { request: {}, destroyCause: 16 });
  else endChannel(ast, channel, { request: { cause: 127, tech_cause: 487 }, destroyCause: 127 });
}

/**
 * An answered outbound far end sends BYE (without a Reason header): ChannelHangupRequest {cause 16} for a channel
 * reached by create + dial (trace bridge-to-judge-answered), no cause key for an originated one (seen on Asterisk
 * 22.10.1, test/asterisk/transfers.test.ts); ChannelDestroyed 16 either way. Before answer it cannot hang up (it would reject).
 */
export function hangupByFarEnd(ast: SimAsterisk, channel: SimChannel): void {
  endChannel(ast, channel, { request: channel.kind === 'originated' ? {} : { cause: 16 }, destroyCause: 16 });
}
