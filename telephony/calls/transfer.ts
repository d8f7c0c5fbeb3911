import { end, enqueue, play, stopPrompt } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, TransferLeg, TransferOutcome, TransferTarget, Transition } from './types.ts';

/**
 * Transfers (转接) as part of the call's pure machine. Every attempt is a leg with its own channel, outcome and
 * times, and every leg ends in a ticket handed off to its judge or department (the transferred-call ticket).
 * - blind: the operator leaves at once; the caller hears hold music while the target rings; no answer → the
 *   caller may leave a message for the target.
 * - attended: the caller is held while the operator rings and then talks with the target; the operator
 *   completes (caller and target bridged, operator leaves) or cancels (back to the caller); no answer →
 *   back to the operator. An operator who hangs up during an answered consultation completes it.
 * - menu: option 1 found the judge of the caller's case; no answer → the queue for an operator.
 * Ids derive from the call id: leg channel `<call>-tr<n>`, consultation bridge `<call>-cb<n>`, bridge with
 * the target `<call>-tb<n>`.
 */

type TransferInput = Extract<CallInput, { type: 'transfer_requested' }>;

export function newLeg(state: CallState, mode: TransferLeg['mode'], target: TransferTarget, at: number, extra: Partial<TransferLeg> = {}): { state: CallState; leg: TransferLeg } {
  const seq = (state.transfers ?? 0) + 1;
  const leg: TransferLeg = { seq, mode, target, channelId: `${state.callId}-tr${seq}`, startedAt: at, ...extra };
  return { state: { ...state, transfers: seq, transfer: leg }, leg };
}

function started(leg: TransferLeg, s: MachineSettings): CallCommand[] {
  return [
    { kind: 'log', event: 'transfer_started', operatorId: leg.requestedBy, data: { seq: leg.seq, mode: leg.mode, target: leg.target.kind, label: leg.target.label, userId: leg.target.userId ?? null, departmentId: leg.target.departmentId ?? null } },
    { kind: 'recordLeg', leg },
    { kind: 'ringTarget', leg },
    { kind: 'startTimer', name: 'transfer', ms: s.transferRingMs },
  ];
}

/** The operator asks for a transfer during the conversation. */
export function requestTransfer(state: CallState, input: TransferInput, s: MachineSettings): Transition {
  const op = state.operator!;
  const { state: next, leg } = newLeg(state, input.mode, input.target, input.at, { requestedBy: input.operatorId });
  const leaveBridge: CallCommand[] = state.bridgeId ? [{ kind: 'destroyBridge', bridgeId: state.bridgeId }] : [];
  if (input.mode === 'blind') {
    return {
      state: { ...next, phase: 'transfer_ringing', bridgeId: undefined, operatorLeft: true },
      commands: [...leaveBridge, { kind: 'hangupOperator', channelId: op.channelId }, { kind: 'operatorWrapUp', userId: op.userId }, { kind: 'startMoh' }, ...started(leg, s)],
    };
  }
  return { state: { ...next, phase: 'consulting', bridgeId: undefined }, commands: [...leaveBridge, { kind: 'startMoh' }, ...started(leg, s)] };
}

/** A menu transfer to the judge the case directory found; the caller hears that they are being put through. */
export function menuTransfer(state: CallState, target: TransferTarget, caseNumber: string, at: number, s: MachineSettings): Transition {
  const { state: next, leg } = newLeg(state, 'menu', target, at, { caseNumber });
  const t = play({ ...next, phase: 'transfer_ringing' }, ['connecting-judge']);
  return { state: t.state, commands: [{ kind: 'log', event: 'case_number_entered', data: { caseNumber, found: true, label: target.label } }, ...t.commands, ...started(leg, s)] };
}

export function inTransferRinging(state: CallState, input: CallInput, s: MachineSettings): Transition {
  const leg = state.transfer!;
  switch (input.type) {
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return { state, commands: [] };
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startMoh' }] };
    case 'transfer_answered': {
      if (input.channelId !== leg.channelId) return { state, commands: [] };
      const answered = { ...leg, answeredAt: input.at, outcome: 'answered' as const };
      const stop = stopPrompt({ ...state, transfer: answered });
      const bridgeId = `${state.callId}-tb${leg.seq}`;
      return {
        state: { ...stop.state, phase: 'transferred', bridgeId },
        commands: [
          { kind: 'cancelTimer', name: 'transfer' },
          ...stop.commands,
          { kind: 'stopMoh' },
          { kind: 'bridge', bridgeId, channelIds: [state.channelId, leg.channelId] },
          { kind: 'log', event: 'transfer_answered', data: { seq: leg.seq, waitedMs: input.at - leg.startedAt } },
          { kind: 'recordLeg', leg: answered, outcome: 'answered' },
        ],
      };
    }
    case 'transfer_gone':
      if (input.channelId !== leg.channelId) return { state, commands: [] };
      return unanswered(state, input.outcome, input.reason, input.at, s);
    case 'timer':
      if (input.name !== 'transfer') return { state, commands: [] };
      return unanswered(state, 'no_answer', 'ring timeout', input.at, s, [{ kind: 'hangupLeg', channelId: leg.channelId }]);
    default:
      return { state, commands: [] };
  }
}

/** No one took the transfer: blind → a message for the target; menu → an operator. */
function unanswered(state: CallState, outcome: TransferOutcome, reason: string, at: number, s: MachineSettings, first: CallCommand[] = []): Transition {
  const leg = { ...state.transfer!, outcome };
  const logged: CallCommand[] = [
    ...first,
    { kind: 'cancelTimer', name: 'transfer' },
    { kind: 'log', event: 'transfer_failed', data: { seq: leg.seq, outcome, reason } },
    { kind: 'recordLeg', leg, outcome, endedAt: at },
  ];
  const stop = stopPrompt({ ...state, transfer: leg });
  if (leg.mode === 'menu') {
    const queued = enqueue({ ...stop.state, skill: undefined }, 'judge_contact', at, s, 'choice');
    return { state: queued.state, commands: [...logged, ...stop.commands, { kind: 'transferTicket', leg }, ...queued.commands] };
  }
  const t = play({ ...stop.state, phase: 'message_prompt', messageReason: 'transfer_unanswered' }, ['transfer-unanswered', 'leave-message']);
  return { state: t.state, commands: [...logged, ...stop.commands, { kind: 'stopMoh' }, ...t.commands] };
}

export function inConsulting(state: CallState, input: CallInput, s: MachineSettings): Transition {
  const leg = state.transfer!;
  const op = state.operator!;
  switch (input.type) {
    case 'transfer_answered': {
      if (input.channelId !== leg.channelId) return { state, commands: [] };
      const consultBridgeId = `${state.callId}-cb${leg.seq}`;
      const answered = { ...leg, answeredAt: input.at, outcome: 'answered' as const, consultBridgeId };
      return {
        state: { ...state, transfer: answered },
        commands: [
          { kind: 'cancelTimer', name: 'transfer' },
          { kind: 'bridge', bridgeId: consultBridgeId, channelIds: [op.channelId, leg.channelId] },
          { kind: 'log', event: 'transfer_answered', operatorId: op.userId, data: { seq: leg.seq, waitedMs: input.at - leg.startedAt } },
          { kind: 'recordLeg', leg: answered, outcome: 'answered' },
        ],
      };
    }
    case 'transfer_complete':
    case 'operator_gone':
      if (input.type === 'operator_gone' && input.channelId !== op.channelId) return { state, commands: [] };
      if (!leg.answeredAt) {
        // Not answered yet: completing now is a blind transfer; the operator leaves, the target keeps ringing.
        return {
          state: { ...state, phase: 'transfer_ringing', operatorLeft: true, transfer: { ...leg, mode: 'blind' } },
          commands: [
            ...(input.type === 'transfer_complete' ? [{ kind: 'hangupOperator', channelId: op.channelId } as const] : []),
            { kind: 'operatorWrapUp', userId: op.userId },
            { kind: 'log', event: 'transfer_completed', operatorId: op.userId, data: { seq: leg.seq, answered: false } },
          ],
        };
      }
      return complete(state, input.type === 'operator_gone');
    case 'transfer_cancel': {
      const commands: CallCommand[] = [{ kind: 'cancelTimer', name: 'transfer' }, { kind: 'hangupLeg', channelId: leg.channelId }];
      const cancelled = { ...leg, outcome: leg.outcome ?? ('cancelled' as const) };
      commands.push({ kind: 'log', event: 'transfer_cancelled', operatorId: op.userId, data: { seq: leg.seq, answered: Boolean(leg.answeredAt) } });
      commands.push({ kind: 'recordLeg', leg: cancelled, outcome: 'cancelled', endedAt: input.at }, { kind: 'transferTicket', leg: cancelled });
      return backToOperator({ ...state, transfer: cancelled }, commands);
    }
    case 'transfer_gone': {
      if (input.channelId !== leg.channelId) return { state, commands: [] };
      const outcome: TransferOutcome = leg.answeredAt ? 'answered' : input.outcome;
      const gone = { ...leg, outcome: leg.outcome ?? outcome };
      return backToOperator({ ...state, transfer: gone }, [
        { kind: 'cancelTimer', name: 'transfer' },
        { kind: 'log', event: leg.answeredAt ? 'transfer_cancelled' : 'transfer_failed', operatorId: op.userId, data: { seq: leg.seq, outcome, reason: input.reason } },
        { kind: 'recordLeg', leg: gone, outcome, endedAt: input.at },
        { kind: 'transferTicket', leg: gone },
      ]);
    }
    case 'timer':
      if (input.name !== 'transfer' || leg.answeredAt) return { state, commands: [] };
      return backToOperator({ ...state, transfer: { ...leg, outcome: 'no_answer' } }, [
        { kind: 'hangupLeg', channelId: leg.channelId },
        { kind: 'log', event: 'transfer_failed', operatorId: op.userId, data: { seq: leg.seq, outcome: 'no_answer', reason: 'ring timeout' } },
        { kind: 'recordLeg', leg: { ...leg, outcome: 'no_answer' }, outcome: 'no_answer', endedAt: input.at },
        { kind: 'transferTicket', leg: { ...leg, outcome: 'no_answer' } },
      ]);
    case 'hold':
    case 'unhold':
      return { state, commands: [{ kind: 'log', event: input.type }] };
    default:
      return { state, commands: [] };
  }
}

/** The caller back with the operator (attended transfer cancelled or not answered). */
function backToOperator(state: CallState, commands: CallCommand[]): Transition {
  const op = state.operator!;
  const leg = state.transfer!;
  const bridgeId = `${state.callId}-br${leg.seq}`;
  return {
    state: { ...state, phase: 'connected', bridgeId },
    commands: [
      ...commands,
      ...(leg.consultBridgeId ? [{ kind: 'destroyBridge', bridgeId: leg.consultBridgeId } as const] : []),
      { kind: 'stopMoh' },
      { kind: 'bridge', bridgeId, channelIds: [state.channelId, op.channelId] },
    ],
  };
}

/** Attended transfer completed: caller and target together, the operator leaves. */
function complete(state: CallState, operatorAlreadyGone: boolean): Transition {
  const op = state.operator!;
  const leg = state.transfer!;
  const bridgeId = `${state.callId}-tb${leg.seq}`;
  return {
    state: { ...state, phase: 'transferred', bridgeId, operatorLeft: true },
    commands: [
      ...(leg.consultBridgeId ? [{ kind: 'destroyBridge', bridgeId: leg.consultBridgeId } as const] : []),
      ...(operatorAlreadyGone ? [] : [{ kind: 'hangupOperator', channelId: op.channelId } as const]),
      { kind: 'operatorWrapUp', userId: op.userId },
      { kind: 'stopMoh' },
      { kind: 'bridge', bridgeId, channelIds: [state.channelId, leg.channelId] },
      { kind: 'log', event: 'transfer_completed', operatorId: op.userId, data: { seq: leg.seq, answered: true } },
    ],
  };
}

/** Caller and target talking: whoever hangs up first ends the call. */
export function inTransferred(state: CallState, input: CallInput): Transition {
  const leg = state.transfer!;
  if (input.type === 'transfer_gone' && input.channelId === leg.channelId) {
    // The target's own channel is already ending: hanging it up again would only race its end.
    const commands: CallCommand[] = [{ kind: 'hangupCaller' }, ...finishTransfer(state, input.at, { legGone: true })];
    return end(state, commands, closingOutcome(state), 'target');
  }
  if (input.type === 'hold' || input.type === 'unhold') return { state, commands: [{ kind: 'log', event: input.type }] };
  return { state, commands: [] };
}

/**
 * Ends the transfer's leg (hang up, bridge, row, ticket) when the call ends in a transfer phase. A leg no one
 * answered ends as `caller_left`, or `failed` when Asterisk went away under the call (`lost`).
 */
export function finishTransfer(state: CallState, at: number, { legGone = false, lost = false } = {}): CallCommand[] {
  const leg = state.transfer;
  if (!leg) return [];
  const commands: CallCommand[] = [];
  if (state.phase === 'transferred' || state.phase === 'transfer_ringing' || state.phase === 'consulting') {
    commands.push({ kind: 'cancelTimer', name: 'transfer' });
    if (!legGone) commands.push({ kind: 'hangupLeg', channelId: leg.channelId });
    if (state.bridgeId) commands.push({ kind: 'destroyBridge', bridgeId: state.bridgeId });
    if (leg.consultBridgeId) commands.push({ kind: 'destroyBridge', bridgeId: leg.consultBridgeId });
    const ended = { ...leg, outcome: leg.outcome ?? (lost ? ('failed' as const) : ('caller_left' as const)) };
    commands.push({ kind: 'recordLeg', leg: ended, outcome: ended.outcome, endedAt: at }, { kind: 'transferTicket', leg: ended });
  }
  if (state.phase === 'consulting' && !state.operatorLeft) {
    commands.push({ kind: 'hangupOperator', channelId: state.operator!.channelId }, { kind: 'operatorWrapUp', userId: state.operator!.userId });
  }
  return commands;
}

/** An operator-answered call stays answered whatever follows; a menu transfer a person took is transferred. */
export function closingOutcome(state: CallState): 'answered' | 'transferred' {
  return state.answeredAt !== undefined ? 'answered' : 'transferred';
}
