import { withTimeout } from '../../../platform/timeout.ts';
import { positionPrompts } from '../../menu.ts';
import { allowedFrom, missedCallReason, notBridgedReason, type PresenceChange, type PresenceState } from '../../presence/presence-state.ts';
import type { LiveCall } from '../live-call.ts';
import { ariCommand, promptMedia, type AriCallDeps } from './ari-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** The queue and the operators' presence, in Redis: a slow or absent Redis is logged, never stops the call. */
type LiveStateDeps = Pick<ExecutorDeps, 'live' | 'dispatcher' | 'presence'>;

const redisTimeoutMs = 2000;

async function redis<T>(call: LiveCall, work: () => Promise<T>): Promise<T | null> {
  try {
    return await withTimeout(work(), redisTimeoutMs);
  } catch (err) {
    call.log.warn({ err: (err as Error).message }, 'live state (Redis) unavailable');
    return null;
  }
}

/** Plays "N callers ahead of you" from the queue in Redis (none known: 0). */
export async function announcePosition(d: LiveStateDeps & AriCallDeps & Pick<ExecutorDeps, 'soundsDir' | 'prompts'>, call: LiveCall, c: CommandOf<'announcePosition'>): Promise<void> {
  const s = call.state;
  const ahead = (await redis(call, () => d.live.ahead(s.courtId, s.callId))) ?? 0;
  return ariCommand(d, call, { kind: 'play', channelId: s.channelId, playbackId: c.playbackId, media: promptMedia(d, s.courtId, positionPrompts(ahead)) });
}

/**
 * Not awaited: the hold music starts meanwhile. The queue write goes with the dispatcher's next claim, as one
 * script call (dispatcher.ts). A caller who leaves before it is sent is never written; one who leaves while it is
 * on its way is taken out again by the dispatcher once it has landed (their own dequeue may have reached Redis first).
 */
export function enqueue(d: LiveStateDeps, call: LiveCall, c: CommandOf<'enqueue'>): void {
  const s = call.state;
  d.dispatcher.add(s.callId, { courtId: s.courtId, skill: c.skill }, c.enqueuedAt);
  void d.dispatcher.kick();
}

export async function dequeue(d: LiveStateDeps, call: LiveCall): Promise<void> {
  const s = call.state;
  d.dispatcher.remove(s.callId);
  await redis(call, () => d.live.dequeue(s.courtId, s.callId));
}

type OperatorCommand = CommandOf<'releaseOperator' | 'operatorMissed' | 'operatorNotBridged' | 'operatorOnCall' | 'operatorWrapUp'>;

/** How each operator command moves their presence: back to ready, paused after a miss, on the call, in wrap-up. */
const presenceMoves: Record<OperatorCommand['kind'], { change: PresenceChange; to: PresenceState; reason?: string }> = {
  releaseOperator: { change: 'system:released', to: 'ready' },
  operatorMissed: { change: 'system:missed', to: 'paused', reason: missedCallReason },
  operatorNotBridged: { change: 'system:not_bridged', to: 'ready', reason: notBridgedReason },
  operatorOnCall: { change: 'system:on_call', to: 'on_call' },
  operatorWrapUp: { change: 'system:wrap_up', to: 'wrap_up' },
};

export async function operatorPresence(d: LiveStateDeps, call: LiveCall, c: OperatorCommand): Promise<void> {
  const { change, to, reason } = presenceMoves[c.kind];
  const moved = await redis(call, () => d.presence.change(c.userId, change, to, { ...(reason ? { reason } : {}), callId: call.state.callId }));
  // Refused: the operator was not where this call left them (e.g. still "ready" while on this call, and so offered
  // another). A call taken over may repeat its predecessor's last step, which is refused as expected.
  if (moved !== false) return;
  const refused = { userId: c.userId, change, to, expectedFrom: allowedFrom[change] };
  if (call.takenOver) call.log.info(refused, 'operator presence not moved: not in the state this call expected');
  else call.log.warn(refused, 'operator presence not moved: not in the state this call expected');
}
