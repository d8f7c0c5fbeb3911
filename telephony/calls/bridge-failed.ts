import { fallbackSkill } from '../menu.ts';
import { enqueue } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

type BridgeFailed = Extract<CallInput, { type: 'bridge_failed' }>;

/**
 * Asterisk would not put caller and operator in their bridge: they never heard each other, so the call is not
 * connected. The operator's leg is hung up and they go back to ready; the caller waits again from where they were
 * in the queue (their first enqueue time), with music, announcements and a fresh maximum wait. Any other bridge
 * (a transfer's) is only recorded: the executor has said it as an error.
 */
export function bridgeFailed(state: CallState, input: BridgeFailed, s: MachineSettings): Transition {
  const leg = state.operator;
  const note = (requeued: boolean): CallCommand => ({
    kind: 'log',
    event: 'bridge_failed',
    ...(leg ? { operatorId: leg.userId } : {}),
    data: { bridgeId: input.bridgeId, channelIds: input.channelIds, requeued },
  });
  const operatorBridge = leg && state.phase === 'connected' && input.bridgeId === state.bridgeId && sameSet(input.channelIds, [state.channelId, leg.channelId]);
  if (!operatorBridge) return { state, commands: [note(false)] };
  const back: CallState = { ...state, bridgeId: undefined, answeredAt: undefined, answeredBy: undefined, operator: undefined, maxWaitReached: false };
  const queued = enqueue(back, state.skill ?? fallbackSkill, input.at, s, 'retry');
  return {
    state: queued.state,
    commands: [
      note(true),
      { kind: 'hangupOperator', channelId: leg.channelId },
      { kind: 'destroyBridge', bridgeId: input.bridgeId },
      { kind: 'operatorNotBridged', userId: leg.userId },
      ...queued.commands,
      { kind: 'startMoh' },
      { kind: 'publish', event: 'call.offered' },
      { kind: 'startTimer', name: 'max_wait', ms: s.maxWaitMs },
      { kind: 'startTimer', name: 'position', ms: s.positionFirstMs },
    ],
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
