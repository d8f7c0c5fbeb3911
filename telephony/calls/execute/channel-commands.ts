import { joinBridge } from '../../ari/join-bridge.ts';
import { recordBridge } from '../../recordings/bridge-recording.ts';
import type { LiveCall } from '../live-call.ts';
import { tagChannel } from '../tagging.ts';
import { ariCommand, foundGone, promptMedia, tryAriCommand, type AriCallDeps } from './ari-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** Commands on the caller's channel, its prompts and its bridges: ARI only. */
type ChannelDeps = AriCallDeps & Pick<ExecutorDeps, 'followUp' | 'settings' | 'soundsDir' | 'prompts' | 'tagFailures' | 'tagRetry'>;

export function answer(d: ChannelDeps, call: LiveCall): Promise<void> {
  return ariCommand(d, call, { kind: 'answer', channelId: call.state.channelId });
}

/**
 * Nothing that follows depends on the tags (a restarted controller reads them later): set in the background,
 * so the menu prompt does not wait for them, and retried there; one that never sticks is logged and counted.
 */
export function tagCallerChannel(d: ChannelDeps, call: LiveCall): void {
  void tagChannel(d, call, (command, err) => foundGone(d, call, command, err));
}

export function play(d: ChannelDeps, call: LiveCall, c: CommandOf<'play'>): Promise<void> {
  return ariCommand(d, call, { kind: 'play', channelId: call.state.channelId, playbackId: c.playbackId, media: promptMedia(d, call.state.courtId, c.prompts) });
}

export function stopPlayback(d: ChannelDeps, call: LiveCall, c: CommandOf<'stopPlayback'>): Promise<void> {
  return ariCommand(d, call, { kind: 'stopPlayback', playbackId: c.playbackId });
}

export function musicOnHold(d: ChannelDeps, call: LiveCall, c: CommandOf<'startMoh' | 'stopMoh'>): Promise<void> {
  return ariCommand(d, call, { kind: c.kind, channelId: call.state.channelId });
}

export function hangupCaller(d: ChannelDeps, call: LiveCall): Promise<void> {
  return ariCommand(d, call, { kind: 'hangup', channelId: call.state.channelId });
}

/** An operator's or a transfer target's leg. */
export function hangupLeg(d: ChannelDeps, call: LiveCall, c: CommandOf<'hangupOperator' | 'hangupLeg'>): Promise<void> {
  return ariCommand(d, call, { kind: 'hangup', channelId: c.channelId });
}

export function record(d: ChannelDeps, call: LiveCall, c: CommandOf<'record'>): Promise<void> {
  return ariCommand(d, call, { kind: 'record', channelId: call.state.channelId, name: c.name, maxSeconds: d.settings.messageMaxSeconds });
}

export function stopRecording(d: ChannelDeps, call: LiveCall, c: CommandOf<'stopRecording'>): Promise<void> {
  return ariCommand(d, call, { kind: 'stopRecording', name: c.name });
}

/**
 * Caller and operator (or a transfer's parties) into their bridge, and the call told how it went: `bridged` (the
 * operator's answer counts from then), or `bridge_failed` (a caller who never heard their operator is queued again,
 * not counted as connected; calls/bridge-failed.ts).
 */
export async function bridge(d: ChannelDeps, call: LiveCall, c: CommandOf<'bridge'>): Promise<void> {
  const joined = await joinBridge(d.ari, c.bridgeId, c.channelIds, (command) => tryAriCommand(d, call, command));
  if (joined !== 'joined') {
    const log = { bridgeId: c.bridgeId, channelIds: c.channelIds };
    // Gone: a party hung up meanwhile (its hangup follows), or the bridge could not be made.
    if (joined === 'gone') call.log.warn(log, 'bridge not joined: a channel or the bridge was gone; handed back to the call as bridge_failed');
    else call.log.error(log, 'bridge refused twice and not found joined: handed back to the call as bridge_failed');
    d.followUp(call.state.callId, { type: 'bridge_failed', bridgeId: c.bridgeId, channelIds: c.channelIds, at: Date.now() });
    return;
  }
  d.followUp(call.state.callId, { type: 'bridged', bridgeId: c.bridgeId, at: Date.now() });
  // Every bridge of the call appends to its one recording; not awaited (it may wait for the previous take to close).
  void recordBridge(d.ari, call.state.callId, c.bridgeId, call.log);
}

export function destroyBridge(d: ChannelDeps, call: LiveCall, c: CommandOf<'destroyBridge'>): Promise<void> {
  return ariCommand(d, call, { kind: 'destroyBridge', bridgeId: c.bridgeId });
}
