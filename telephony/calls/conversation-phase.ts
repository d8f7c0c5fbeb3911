import { requeueUnbridged } from './bridge-failed.ts';
import { requestTransfer } from './transfer.ts';
import { awaitingBridge, end, ignore } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

/** Caller and operator talking: a transfer asked for, the operator hanging up, holds. */
export function inConversation(state: CallState, input: CallInput, s: MachineSettings): Transition {
  const leg = state.operator!;
  switch (input.type) {
    case 'transfer_requested':
      return requestTransfer(state, input, s);
    case 'operator_gone':
      if (input.channelId !== leg.channelId) return ignore(state, input);
      // Gone before they were found in the bridge with the caller: the caller waits for the next operator.
      if (awaitingBridge(state)) return requeueUnbridged(state, input.at, s, { reason: 'operator_left', channelId: leg.channelId });
      return end(state, [{ kind: 'hangupCaller' }, ...finishConversation(state)], 'answered', 'operator');
    case 'hold':
    case 'unhold':
      return { state, commands: [{ kind: 'log', event: input.type }] };
    default:
      return ignore(state, input);
  }
}

/** The operator's side of a call that ends: to wrap-up after a conversation, straight to ready if there was none. */
export function finishConversation(state: CallState): CallCommand[] {
  const leg = state.operator!;
  const unbridged = awaitingBridge(state);
  return [
    ...(unbridged ? [{ kind: 'log', event: 'bridge_failed', operatorId: leg.userId, data: { bridgeId: state.bridgeId ?? null, reason: 'call_ended', requeued: false } } as const] : []),
    { kind: 'hangupOperator', channelId: leg.channelId },
    ...(state.bridgeId ? [{ kind: 'destroyBridge', bridgeId: state.bridgeId } as const] : []),
    unbridged ? { kind: 'operatorNotBridged', userId: leg.userId } : { kind: 'operatorWrapUp', userId: leg.userId },
  ];
}
