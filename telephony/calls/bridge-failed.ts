import { fallbackSkill } from '../menu.ts';
import { awaitingBridge, enqueue, offer } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

type BridgeInput = Extract<CallInput, { type: 'bridged' | 'bridge_failed' }>;

/**
 * Answered means bridged. The operator's answer is counted only once caller and operator are found in their bridge
 * (`bridged` clears `bridging`, set by the answer). Until then they have not heard each other: a bridge Asterisk refused, or the operator
 * leaving first, puts the caller back in the queue (`requeueUnbridged`); the caller leaving is not an answered call
 * (leaving.ts). Any other bridge refused (a transfer's, or back to the operator after one) is only recorded: the
 * executor has said it as an error.
 */
export function bridgeInput(state: CallState, input: BridgeInput, s: MachineSettings): Transition {
  if (input.type === 'bridged') {
    const first = state.phase === 'connected' && input.bridgeId === state.bridgeId && state.bridging;
    return { state: first ? { ...state, bridging: undefined } : state, commands: [] };
  }
  const leg = state.operator;
  const data = { bridgeId: input.bridgeId, channelIds: input.channelIds };
  const answerBridge = leg && awaitingBridge(state) && input.bridgeId === state.bridgeId && sameSet(input.channelIds, [state.channelId, leg.channelId]);
  if (!answerBridge) return { state, commands: [{ kind: 'log', event: 'bridge_failed', ...(leg ? { operatorId: leg.userId } : {}), data: { ...data, requeued: false } }] };
  return requeueUnbridged(state, input.at, s, data);
}

/**
 * The operator's answer did not become a conversation: their leg hung up and they are ready again (no penalty),
 * the answer forgotten, and the caller waits again in their old place for the rest of their maximum wait (offered
 * a callback or a message if it is over, as after a missed ring).
 */
export function requeueUnbridged(state: CallState, at: number, s: MachineSettings, data: Record<string, unknown>): Transition {
  const leg = state.operator!;
  const commands: CallCommand[] = [
    { kind: 'log', event: 'bridge_failed', operatorId: leg.userId, data: { ...data, requeued: true } },
    { kind: 'hangupOperator', channelId: leg.channelId },
    ...(state.bridgeId ? [{ kind: 'destroyBridge', bridgeId: state.bridgeId } as const] : []),
    { kind: 'operatorNotBridged', userId: leg.userId },
    { kind: 'publish', event: 'call.not_connected', operatorId: leg.userId },
  ];
  const back: CallState = { ...state, phase: 'queued', bridgeId: undefined, answeredAt: undefined, answeredBy: undefined, operator: undefined, bridging: undefined };
  const leftMs = s.maxWaitMs - (at - (state.enqueuedAt ?? at));
  if (state.maxWaitReached || leftMs <= 0) return offer(back, commands, at);
  const queued = enqueue(back, state.skill ?? fallbackSkill, at, s, 'retry');
  return {
    state: queued.state,
    commands: [
      ...commands,
      ...queued.commands,
      { kind: 'startMoh' },
      { kind: 'publish', event: 'call.offered' },
      { kind: 'startTimer', name: 'max_wait', ms: leftMs },
      { kind: 'startTimer', name: 'position', ms: s.positionFirstMs },
    ],
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
