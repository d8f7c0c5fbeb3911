import type { AriCommand } from '../ari/types.ts';
import { snoopBridgeId, snoopId } from './ids.ts';
import type { Session, SupervisionMode } from './types.ts';

/**
 * Pure: the ARI commands that put an answered supervisor's leg into a mode, as the reference traces do it.
 * listen: a snoop on the caller's channel, spy both (the caller and what the caller hears: the operator), whisper
 * none, bridged with the leg; whisper: a snoop on the operator's channel, spy both, whisper out (only the operator
 * hears the supervisor); barge: the leg in the call's own bridge (a three-way call).
 */
export function attach(session: Session, mode: SupervisionMode): { session: Session; commands: AriCommand[] } {
  if (mode === 'barge') {
    return { session: { ...session, mode, inMain: true }, commands: [{ kind: 'addToBridge', bridgeId: session.mainBridgeId, channelIds: [session.legId] }] };
  }
  const n = session.seq + 1;
  const snoop = { channelId: snoopId(session.callId, n), bridgeId: snoopBridgeId(session.callId, n) };
  const target = mode === 'listen' ? session.callerChannelId : session.operatorChannelId;
  return {
    session: { ...session, mode, seq: n, snoop },
    commands: [
      { kind: 'snoop', channelId: target, snoopId: snoop.channelId, spy: 'both', whisper: mode === 'whisper' ? 'out' : 'none', appArgs: 'snoop' },
      { kind: 'createBridge', bridgeId: snoop.bridgeId },
      { kind: 'addToBridge', bridgeId: snoop.bridgeId, channelIds: [snoop.channelId, session.legId] },
    ],
  };
}

/** Pure: takes the leg out of its mode and leaves it up (a switch never drops the supervisor's call). */
export function detach(session: Session): { session: Session; commands: AriCommand[] } {
  const commands: AriCommand[] = [];
  if (session.snoop) commands.push({ kind: 'hangup', channelId: session.snoop.channelId }, { kind: 'destroyBridge', bridgeId: session.snoop.bridgeId });
  if (session.inMain) commands.push({ kind: 'removeFromBridge', bridgeId: session.mainBridgeId, channelIds: [session.legId] });
  const { snoop: _gone, ...rest } = session;
  return { session: { ...rest, inMain: false }, commands };
}

/** Pure: everything of the supervision goes; the call's own channels and bridge are never touched. */
export function teardown(session: Session): AriCommand[] {
  const commands: AriCommand[] = [];
  if (session.snoop) commands.push({ kind: 'hangup', channelId: session.snoop.channelId }, { kind: 'destroyBridge', bridgeId: session.snoop.bridgeId });
  commands.push({ kind: 'hangup', channelId: session.legId });
  return commands;
}
