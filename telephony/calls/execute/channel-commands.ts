import { joinBridge } from '../../ari/join-bridge.ts';
import { recordBridge } from '../../recordings/bridge-recording.ts';
import type { LiveCall } from '../live-call.ts';
import { tagChannel } from '../tagging.ts';
import { ariCommand, foundGone, promptMedia, tryAriCommand, type AriCallDeps } from './ari-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** Commands on the caller's channel, its prompts and its bridges: ARI only. */
type ChannelDeps = AriCallDeps & Pick<ExecutorDeps, 'settings' | 'soundsDir' | 'prompts' | 'tagFailures' | 'tagRetry'>;

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
 * Caller and operator (or a transfer's parties) into their bridge. One that cannot be shown joined goes back to the
 * machine as `bridge_failed`: a caller who never heard their operator is queued again, not counted as connected.
 */
export async function bridge(d: ChannelDeps, call: LiveCall, c: CommandOf<'bridge'>): Promise<void> {
  await ariCommand(d, call, { kind: 'createBridge', bridgeId: c.bridgeId });
  const joined = await joinBridge(d.ari, c.bridgeId, c.channelIds, () => tryAriCommand(d, call, { kind: 'addToBridge', bridgeId: c.bridgeId, channelIds: c.channelIds }));
  if (joined === 'refused') {
    call.log.error({ bridgeId: c.bridgeId, channelIds: c.channelIds }, 'bridge refused twice and not found joined: handed back to the call as bridge_failed');
    d.submit(call.state.callId, { type: 'bridge_failed', bridgeId: c.bridgeId, channelIds: c.channelIds, at: Date.now() });
    return;
  }
  // Every bridge of the call appends to its one recording; not awaited (it may wait for the previous take to close).
  if (joined === 'joined') void recordBridge(d.ari, call.state.callId, c.bridgeId, call.log);
}

export function destroyBridge(d: ChannelDeps, call: LiveCall, c: CommandOf<'destroyBridge'>): Promise<void> {
  return ariCommand(d, call, { kind: 'destroyBridge', bridgeId: c.bridgeId });
}
