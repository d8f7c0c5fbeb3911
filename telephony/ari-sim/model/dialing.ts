import { parseCallerId, parseEndpoint } from '../format.ts';
import type { ChannelJson } from '../types.ts';
import type { SimAsterisk, SimEndpoint } from './asterisk.ts';
import { enterStasis } from './calls.ts';
import type { SimChannel } from './channel.ts';
import { endChannel } from './hangup.ts';

/** Unknown or unreachable PJSIP endpoint: ARI answers 500 {"error":"Allocation failed"}. */
export class AllocationFailedError extends Error {
  constructor(endpoint: string) {
    super(`Allocation failed for ${endpoint}`);
  }
}

export interface OutboundRequest {
  endpoint: string;
  app: string | null;
  appArgs: string;
  channelId?: string;
  variables: Record<string, string>;
}

function allocate(ast: SimAsterisk, endpointText: string): { endpoint: SimEndpoint; dialstring: string } {
  const parsed = parseEndpoint(endpointText);
  const endpoint = parsed && parsed.technology === 'PJSIP' ? ast.endpoints.get(parsed.resource) : undefined;
  if (!parsed || !endpoint || !endpoint.online) throw new AllocationFailedError(endpointText);
  return { endpoint, dialstring: parsed.dialstring };
}

const splitArgs = (appArgs: string) => (appArgs === '' ? [] : appArgs.split(','));

/**
 * POST /channels (originate with `app`): 200 with a Down channel in AppDial2; the app is subscribed at
 * once (Dial and state events), StasisStart comes only on answer, never if unanswered.
 */
export function originate(ast: SimAsterisk, request: OutboundRequest & { callerId?: string; timeoutSec: number }): SimChannel {
  const target = allocate(ast, request.endpoint);
  const caller = parseCallerId(request.callerId);
  const channel = ast.newChannel({
    kind: 'originated',
    endpoint: target.endpoint.name,
    caller,
    dialplan: { context: target.endpoint.context, exten: 's', priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' },
    state: 'Down',
    id: request.channelId,
  });
  channel.connected = { ...caller };
  channel.app = request.app;
  for (const [name, value] of Object.entries(request.variables)) ast.setVar(channel, name, value, false);
  const args = splitArgs(request.appArgs);
  ast.later(0, () => {
    if (!channel.ended) startDial(ast, channel, target, { every: true, timeoutMs: request.timeoutSec > 0 ? request.timeoutSec * 1000 : null, args });
  });
  return channel;
}

/**
 * POST /channels/create: 200 with a Down channel; variables from the body each give a ChannelVarset,
 * then ChannelDialplan (Stasis), STASISSTATUS="" and StasisStart (Down). The channel's thread does this after the
 * request returned: on the websocket all these events follow the response (recording), over HTTP the Stasis entry's do.
 */
export function createChannel(ast: SimAsterisk, request: OutboundRequest): { channel: SimChannel; response: ChannelJson } {
  const target = allocate(ast, request.endpoint);
  const channel = ast.newChannel({
    kind: 'created',
    endpoint: target.endpoint.name,
    dialplan: { context: target.endpoint.context, exten: 's', priority: 1, app_name: '', app_data: '' },
    state: 'Down',
    id: request.channelId,
  });
  channel.app = request.app;
  channel.dialTarget = { endpoint: target.endpoint.name, dialstring: target.dialstring };
  // Over HTTP the variables' events race the response; the Stasis entry's follow it in every trace.
  ast.hub.order.afterResponse(
    () => {
      for (const [name, value] of Object.entries(request.variables)) ast.setVar(channel, name, value);
    },
    { overHttp: false },
  );
  const args = splitArgs(request.appArgs);
  const appData = [request.app ?? '', ...args].join(',');
  // The 200 response shows the channel before it enters the Stasis dialplan application.
  const response = ast.channelJson(channel);
  ast.hub.order.afterResponse(
    () => {
      channel.dialplan = { ...channel.dialplan, app_name: 'Stasis', app_data: appData };
      ast.emitChannel('ChannelDialplan', channel, { dialplan_app: 'Stasis', dialplan_app_data: appData });
      ast.setVar(channel, 'STASISSTATUS', '');
      if (channel.app) enterStasis(ast, channel, channel.app, args);
    },
    { overHttp: true },
  );
  return { channel, response };
}

export class DialStateError extends Error {}

/** POST /channels/{id}/dial on a created channel: ConnectedLine (with `caller`), Dial "", then the far end's answer. */
export function dial(ast: SimAsterisk, channel: SimChannel, request: { caller?: SimChannel; timeoutSec: number }): void {
  const endpoint = channel.dialTarget ? ast.endpoints.get(channel.dialTarget.endpoint) : undefined;
  if (!channel.dialTarget || !endpoint || channel.dial || channel.state !== 'Down') throw new DialStateError('Channel is not in a state to be dialed');
  const target = { endpoint, dialstring: channel.dialTarget.dialstring };
  if (request.caller) {
    channel.connected = { ...request.caller.caller };
    ast.emitChannel('ChannelConnectedLine', channel);
  }
  startDial(ast, channel, target, { every: false, timeoutMs: request.timeoutSec > 0 ? request.timeoutSec * 1000 : null, args: [] });
}

function emitDial(ast: SimAsterisk, channel: SimChannel, dialstatus: string): void {
  const dialing = channel.dial;
  if (!dialing) return;
  ast.hub.emitEvent(channel.app, 'Dial', {
    dialstatus,
    forward: '',
    dialstring: dialstatus === '' || dialing.dialstringOnEvery ? dialing.dialstring : '',
    peer: ast.channelJson(channel),
  });
}

function startDial(
  ast: SimAsterisk,
  channel: SimChannel,
  target: { endpoint: SimEndpoint; dialstring: string },
  options: { every: boolean; timeoutMs: number | null; args: string[] },
): void {
  channel.dial = { dialstring: target.dialstring, dialstringOnEvery: options.every, timers: [] };
  const timers = channel.dial.timers;
  emitDial(ast, channel, '');
  const behavior = ast.endpointBehavior(target.endpoint);
  switch (behavior.kind) {
    case 'busy':
      if (behavior.ringMs) timers.push(ast.later(0, () => ringing(ast, channel)));
      timers.push(ast.later(behavior.ringMs ?? 0, () => farEndRefuses(ast, channel, 17, 486, 'BUSY')));
      return;
    case 'reject':
      timers.push(ast.later(0, () => farEndRefuses(ast, channel, 21, 603, 'CONGESTION')));
      return;
    case 'answer':
      timers.push(ast.later(0, () => ringing(ast, channel)));
      timers.push(ast.later(Math.max(1, behavior.afterMs), () => answered(ast, channel, options.args)));
      break;
    case 'noAnswer':
      timers.push(ast.later(0, () => ringing(ast, channel)));
      break;
  }
  if (options.timeoutMs !== null) timers.push(ast.later(options.timeoutMs, () => dialTimedOut(ast, channel)));
}

function ringing(ast: SimAsterisk, channel: SimChannel): void {
  if (channel.ended || channel.state !== 'Down') return;
  ast.setState(channel, 'Ringing');
  emitDial(ast, channel, 'RINGING');
}

function answered(ast: SimAsterisk, channel: SimChannel, args: string[]): void {
  if (channel.ended || channel.state === 'Up') return;
  for (const timer of channel.dial?.timers ?? []) ast.cancel(timer);
  ast.setState(channel, 'Up');
  emitDial(ast, channel, 'ANSWER');
  if (channel.kind === 'originated' && channel.app) {
    channel.dialplan = { ...channel.dialplan, app_name: 'Stasis', app_data: [channel.app, ...args].join(',') };
    ast.setVar(channel, 'STASISSTATUS', '');
    enterStasis(ast, channel, channel.app, args);
  }
}

/** Busy (486 → cause 17) or declined (603 → cause 21): only originate reports the final Dial status. */
function farEndRefuses(ast: SimAsterisk, channel: SimChannel, cause: number, techCause: number, dialstatus: string): void {
  if (channel.ended) return;
  endChannel(ast, channel, {
    request: { cause, tech_cause: techCause },
    afterRequest: channel.kind === 'originated' ? () => emitDial(ast, channel, dialstatus) : undefined,
    destroyCause: cause,
    destroyTechCause: techCause,
  });
}

/**
 * The app hangs up (DELETE /channels) an originated channel that has not answered: Asterisk 22 then reports
 * originate's final `Dial NOANSWER` right after ChannelHangupRequest {32, soft} (test/asterisk/transfers.test.ts).
 * Unverified for create+dial, which gets none here.
 */
export function finalDialOnAppHangup(ast: SimAsterisk, channel: SimChannel): (() => void) | undefined {
  if (channel.kind !== 'originated' || !channel.dial || channel.state === 'Up') return undefined;
  return () => emitDial(ast, channel, 'NOANSWER');
}

/** Dial timeout: Asterisk CANCELs with cause 19; no final Dial event on either path. */
function dialTimedOut(ast: SimAsterisk, channel: SimChannel): void {
  if (channel.ended || channel.state === 'Up') return;
  endChannel(ast, channel, {
    request: channel.kind === 'originated' ? null : { cause: 32, soft: true },
    destroyCause: 19,
    destroyTechCause: 480,
  });
}
