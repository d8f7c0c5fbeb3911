import { AriEndpointUnavailable } from '../../ari/errors.ts';
import { channelVars, type AriCommand } from '../../ari/types.ts';
import type { LiveCall } from '../live-call.ts';
import { ariCommand, type AriCallDeps } from './ari-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** Originating the legs of a call (an operator's softphone, a transfer target) into the app, tagged with the call's ids. */
type LegDeps = AriCallDeps & Pick<ExecutorDeps, 'settings' | 'trackLeg'> & { presence: Pick<ExecutorDeps['presence'], 'recordRinging'> };

function callVariables(call: LiveCall): Record<string, string> {
  const s = call.state;
  return { [channelVars.callId]: s.callId, ...(s.courtId ? { [channelVars.courtId]: s.courtId } : {}) };
}

export async function ringOperator(d: LegDeps, call: LiveCall, c: CommandOf<'ringOperator'>): Promise<void> {
  const s = call.state;
  d.trackLeg(c.leg.channelId, s.callId, 'operator');
  const command: AriCommand = {
    kind: 'originate',
    channelId: c.leg.channelId,
    endpoint: `PJSIP/${c.leg.endpoint}`,
    callerId: s.callerNumber,
    // Asterisk's own limit is a backstop: the call's ring timer ends the ring first.
    timeoutSeconds: Math.ceil(d.settings.ringMs / 1000) + 5,
    appArgs: 'operator',
    variables: callVariables(call),
  };
  // The ring goes out first; its record and event (presence: ringing) are bookkeeping that can follow.
  const ringing = d.ari.execute(command);
  d.presence.recordRinging(c.leg.userId, s.courtId, s.callId);
  try {
    await ringing;
  } catch (err) {
    call.log.warn({ err: (err as Error).message, operatorId: c.leg.userId }, 'could not ring the operator');
    // A request that failed in transit (reset, timed out) may still have created the leg: hang it up, or it
    // would ring (and could be answered) for a call that has moved on.
    if (!(err instanceof AriEndpointUnavailable)) await ariCommand(d, call, { kind: 'hangup', channelId: c.leg.channelId });
    d.submit(s.callId, { type: 'operator_gone', channelId: c.leg.channelId, reason: (err as Error).message, at: Date.now() });
  }
}

export async function ringTarget(d: LegDeps, call: LiveCall, c: CommandOf<'ringTarget'>): Promise<void> {
  const s = call.state;
  d.trackLeg(c.leg.channelId, s.callId, 'transfer');
  const command: AriCommand = {
    kind: 'originate',
    channelId: c.leg.channelId,
    endpoint: c.leg.target.dial,
    callerId: s.callerNumber,
    timeoutSeconds: Math.ceil(d.settings.transferRingMs / 1000) + 5,
    appArgs: 'transfer',
    variables: callVariables(call),
  };
  try {
    await d.ari.execute(command);
  } catch (err) {
    call.log.warn({ err: (err as Error).message, target: c.leg.target.label }, 'could not ring the transfer target');
    if (!(err instanceof AriEndpointUnavailable)) await ariCommand(d, call, { kind: 'hangup', channelId: c.leg.channelId });
    d.submit(s.callId, { type: 'transfer_gone', channelId: c.leg.channelId, reason: (err as Error).message, outcome: 'failed', at: Date.now() });
  }
}
