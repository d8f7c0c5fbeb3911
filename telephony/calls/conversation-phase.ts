import { requestTransfer } from './transfer.ts';
import { end, ignore } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

/** Caller and operator talking: a transfer asked for, the operator hanging up, holds. */
export function inConversation(state: CallState, input: CallInput, s: MachineSettings): Transition {
  const leg = state.operator!;
  switch (input.type) {
    case 'transfer_requested':
      return requestTransfer(state, input, s);
    case 'operator_gone':
      if (input.channelId !== leg.channelId) return ignore(state, input);
      return end(state, [{ kind: 'hangupCaller' }, ...finishConversation(state)], 'answered', 'operator');
    case 'hold':
    case 'unhold':
      return { state, commands: [{ kind: 'log', event: input.type }] };
    default:
      return ignore(state, input);
  }
}

export function finishConversation(state: CallState): CallCommand[] {
  const leg = state.operator!;
  return [
    { kind: 'hangupOperator', channelId: leg.channelId },
    ...(state.bridgeId ? [{ kind: 'destroyBridge', bridgeId: state.bridgeId } as const] : []),
    { kind: 'operatorWrapUp', userId: leg.userId },
  ];
}
