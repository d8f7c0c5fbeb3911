import { fallbackSkill, menuOptionFor, menuRepeats, type Skill } from '../menu.ts';
import { resume } from './resume.ts';
import { inCaseEntry, inCaseLookup, startCaseEntry } from './case-entry.ts';
import { closingOutcome, finishTransfer, inConsulting, inTransferred, inTransferRinging, requestTransfer } from './transfer.ts';
import type { CallCommand, CallInput, CallLost, CallOutcome, CallState, HangupParty, MachineSettings, Transition } from './types.ts';

/**
 * A call as a pure state machine: (state, input) → {state, commands}. No I/O, no clock, no randomness:
 * times come in with each input and ids are derived from the call id, so every path is testable alone.
 */
export function newCall(init: { callId: string; channelId: string; courtId: string | null; callerNumber: string }): CallState {
  return { ...init, phase: 'menu', menuMisses: 0, seq: 0, inHours: true, maxWaitReached: false };
}

export function step(state: CallState, input: CallInput, settings: MachineSettings): Transition {
  if (state.phase === 'ended') return { state, commands: [] };
  if (input.type === 'caller_hangup') return callerHungUp(state, input.at);
  if (input.type === 'caller_lost') return callerHungUp(state, input.at, input.reason);
  if (input.type === 'adopted') return resume(state, input, settings);
  // The dispatcher raced with the call leaving the queue: give the operator back.
  if (input.type === 'operator_assigned' && state.phase !== 'queued') return { state, commands: [{ kind: 'releaseOperator', userId: input.userId }] };
  if (input.type === 'failure') {
    const commands: CallCommand[] = [{ kind: 'log', event: 'failed', data: { reason: input.reason } }, ...leaveQueue(state), { kind: 'hangupCaller' }];
    return end(state, commands, outcomeOnLeaving(state) === 'answered' ? 'answered' : 'failed', 'system');
  }
  switch (state.phase) {
    case 'menu':
      return inMenu(state, input, settings);
    case 'message_prompt':
    case 'recording':
      return inMessage(state, input, settings);
    case 'queued':
    case 'ringing':
      return inQueue(state, input, settings);
    case 'offer':
      return inOffer(state, input, settings);
    case 'connected':
      return inConversation(state, input, settings);
    case 'case_entry':
      return inCaseEntry(state, input, settings);
    case 'case_lookup':
      return inCaseLookup(state, input, settings);
    case 'transfer_ringing':
      return inTransferRinging(state, input, settings);
    case 'consulting':
      return inConsulting(state, input, settings);
    case 'transferred':
      return inTransferred(state, input);
    case 'closing':
      if (input.type === 'playback_finished' && input.playbackId === state.playbackId) {
        return end({ ...state, playbackId: undefined }, [{ kind: 'hangupCaller' }], state.closingOutcome ?? 'failed', 'system');
      }
      return ignore(state, input);
  }
}

function inMenu(state: CallState, input: CallInput, s: MachineSettings): Transition {
  switch (input.type) {
    case 'arrived': {
      const base: CallCommand[] = [{ kind: 'answer' }, { kind: 'tagChannel' }];
      const next = { ...state, inHours: input.inHours };
      if (!state.courtId) {
        // No court serves the number it came in on: no operator could ever take it, so the caller is told so
        // at once, and the row stays (with no court) for the admins to see.
        const t = play({ ...next, phase: 'closing', closingOutcome: 'failed' }, ['not-in-service']);
        return { state: t.state, commands: [...base, { kind: 'log', event: 'failed', data: { reason: 'no_court' } }, ...t.commands] };
      }
      if (!input.inHours) {
        const t = play({ ...next, phase: 'message_prompt', messageReason: 'after_hours' }, ['after-hours', 'leave-message']);
        return { state: t.state, commands: [...base, { kind: 'log', event: 'after_hours' }, ...t.commands] };
      }
      const t = play(next, ['welcome', 'menu']);
      return { state: t.state, commands: [...base, ...t.commands] };
    }
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return ignore(state, input);
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startTimer', name: 'menu', ms: s.menuTimeoutMs }] };
    case 'digit': {
      const option = menuOptionFor(input.digit);
      const stop = stopPrompt(state);
      if (!option) return menuMiss(stop.state, [...stop.commands, { kind: 'log', event: 'menu_invalid', data: { digit: input.digit } }], input.at, s);
      const chose: CallCommand = { kind: 'log', event: 'menu_choice', data: { digit: input.digit, option: option.option } };
      if (option.option === 'judge_contact') return startCaseEntry(stop.state, [...stop.commands, chose], s);
      const queued = enqueue(stop.state, option.skill, input.at, s, 'choice', stop.commands);
      return { state: queued.state, commands: [chose, ...queued.commands] };
    }
    case 'timer':
      if (input.name !== 'menu' || state.playbackId) return ignore(state, input);
      return menuMiss(state, [{ kind: 'log', event: 'menu_no_input' }], input.at, s);
    default:
      return ignore(state, input);
  }
}

function menuMiss(state: CallState, commands: CallCommand[], at: number, s: MachineSettings): Transition {
  const misses = state.menuMisses + 1;
  const next = { ...state, menuMisses: misses };
  if (misses > menuRepeats) {
    const queued = enqueue(next, fallbackSkill, at, s, 'fallback');
    return { state: queued.state, commands: [{ kind: 'cancelTimer', name: 'menu' }, ...commands, { kind: 'log', event: 'menu_fallback', data: { misses } }, ...queued.commands] };
  }
  const t = play(next, ['invalid', 'menu']);
  return { state: t.state, commands: [{ kind: 'cancelTimer', name: 'menu' }, ...commands, ...t.commands] };
}

/**
 * Into the queue. The caller hears hold music at once and the dispatcher may ring an operator straight
 * away; the first position announcement comes only after `positionFirstMs` (as app_queue does), so a
 * caller who is put through at once never hears "N callers ahead" cut off by the ring. A retry after an
 * operator missed the call keeps the music and the position timer already running. `beforeMusic` (a prompt's
 * stop) goes after the queue entry, so that the dispatcher's claim is on its way to Redis meanwhile.
 */
export function enqueue(state: CallState, skill: Skill, at: number, s: MachineSettings, reason: 'choice' | 'fallback' | 'retry', beforeMusic: CallCommand[] = []): Transition {
  const enqueuedAt = state.enqueuedAt ?? at;
  const next: CallState = { ...state, phase: 'queued', skill, enqueuedAt, operator: undefined };
  if (reason === 'retry') return { state: next, commands: [{ kind: 'enqueue', skill, enqueuedAt }, ...beforeMusic] };
  return {
    state: next,
    commands: [
      { kind: 'log', event: 'queued', data: { skill, reason } },
      { kind: 'enqueue', skill, enqueuedAt },
      ...beforeMusic,
      { kind: 'startMoh' },
      { kind: 'publish', event: 'call.offered' },
      { kind: 'startTimer', name: 'max_wait', ms: s.maxWaitMs },
      { kind: 'startTimer', name: 'position', ms: s.positionFirstMs },
    ],
  };
}

function inQueue(state: CallState, input: CallInput, s: MachineSettings): Transition {
  switch (input.type) {
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return ignore(state, input);
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startMoh' }] };
    case 'timer':
      if (input.name === 'position') {
        const restart: CallCommand = { kind: 'startTimer', name: 'position', ms: s.positionEveryMs };
        if (state.phase !== 'queued' || state.playbackId) return { state, commands: [restart] };
        const t = announcePosition(state);
        return { state: t.state, commands: [{ kind: 'stopMoh' }, ...t.commands, restart] };
      }
      if (input.name === 'max_wait') {
        if (state.phase === 'ringing') return { state: { ...state, maxWaitReached: true }, commands: [] };
        return offer(state, [{ kind: 'dequeue' }], input.at);
      }
      if (input.name === 'ring' && state.phase === 'ringing' && state.operator) {
        return operatorMissed(state, 'ring timeout', [{ kind: 'hangupOperator', channelId: state.operator.channelId }], input.at, s);
      }
      return ignore(state, input);
    case 'operator_assigned': {
      const seq = state.seq + 1;
      const leg = { userId: input.userId, endpoint: input.endpoint, channelId: `${state.callId}-op${seq}` };
      const stop = stopPrompt({ ...state, seq, phase: 'ringing', operator: leg });
      // An interrupted position announcement had stopped the hold music: start it again.
      const music: CallCommand[] = stop.commands.length > 0 ? [{ kind: 'startMoh' }] : [];
      return {
        state: stop.state,
        commands: [
          ...stop.commands,
          ...music,
          { kind: 'ringOperator', leg },
          { kind: 'startTimer', name: 'ring', ms: s.ringMs },
          { kind: 'log', event: 'operator_rung', operatorId: leg.userId, data: { endpoint: leg.endpoint, channelId: leg.channelId } },
          { kind: 'publish', event: 'call.ringing', operatorId: leg.userId },
        ],
      };
    }
    case 'operator_answered': {
      const leg = state.operator;
      if (state.phase !== 'ringing' || !leg || input.channelId !== leg.channelId) return ignore(state, input);
      const bridgeId = `${state.callId}-br`;
      const waitedMs = input.at - (state.enqueuedAt ?? input.at);
      return {
        state: { ...state, phase: 'connected', bridgeId, answeredAt: input.at, answeredBy: leg.userId },
        commands: [
          { kind: 'cancelTimer', name: 'ring' },
          { kind: 'cancelTimer', name: 'max_wait' },
          { kind: 'cancelTimer', name: 'position' },
          { kind: 'stopMoh' },
          { kind: 'bridge', bridgeId, channelIds: [state.channelId, leg.channelId] },
          { kind: 'operatorOnCall', userId: leg.userId },
          { kind: 'log', event: 'answered', operatorId: leg.userId, data: { waitedMs } },
          { kind: 'publish', event: 'call.answered', operatorId: leg.userId },
          { kind: 'screenPop', userId: leg.userId },
        ],
      };
    }
    case 'operator_gone':
      if (state.phase !== 'ringing' || !state.operator || input.channelId !== state.operator.channelId) return ignore(state, input);
      return operatorMissed(state, input.reason, [], input.at, s);
    case 'hold':
    case 'unhold':
      return { state, commands: [{ kind: 'log', event: input.type }] };
    default:
      return ignore(state, input);
  }
}

function operatorMissed(state: CallState, reason: string, first: CallCommand[], at: number, s: MachineSettings): Transition {
  const leg = state.operator!;
  const commands: CallCommand[] = [
    ...first,
    { kind: 'cancelTimer', name: 'ring' },
    { kind: 'log', event: 'operator_missed', operatorId: leg.userId, data: { reason, channelId: leg.channelId } },
    { kind: 'operatorMissed', userId: leg.userId },
  ];
  const back = { ...state, operator: undefined };
  if (state.maxWaitReached) return offer(back, commands, at);
  const queued = enqueue(back, state.skill ?? fallbackSkill, at, s, 'retry');
  return { state: queued.state, commands: [...commands, ...queued.commands] };
}

export function offer(state: CallState, first: CallCommand[], at: number): Transition {
  const stop = stopPrompt(state);
  const t = play({ ...stop.state, phase: 'offer', maxWaitReached: true }, ['offer-callback']);
  return {
    state: t.state,
    commands: [
      ...first,
      ...stop.commands,
      { kind: 'cancelTimer', name: 'position' },
      { kind: 'stopMoh' },
      { kind: 'log', event: 'max_wait', data: { waitedMs: at - (state.enqueuedAt ?? at) } },
      ...t.commands,
    ],
  };
}

function inOffer(state: CallState, input: CallInput, s: MachineSettings): Transition {
  switch (input.type) {
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return ignore(state, input);
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startTimer', name: 'offer', ms: s.menuTimeoutMs }] };
    case 'digit': {
      const stop = stopPrompt(state);
      const cancel: CallCommand = { kind: 'cancelTimer', name: 'offer' };
      if (input.digit === '1') {
        const t = play({ ...stop.state, phase: 'closing', closingOutcome: 'callback_requested' }, ['callback-confirmed']);
        return { state: t.state, commands: [cancel, ...stop.commands, { kind: 'log', event: 'callback_requested' }, { kind: 'intake', what: 'callback' }, ...t.commands] };
      }
      const t = play({ ...stop.state, phase: 'message_prompt', messageReason: 'queue_timeout' }, ['leave-message']);
      return { state: t.state, commands: [cancel, ...stop.commands, ...t.commands] };
    }
    case 'timer': {
      if (input.name !== 'offer') return ignore(state, input);
      const t = play({ ...state, phase: 'message_prompt', messageReason: 'queue_timeout' }, ['leave-message']);
      return t;
    }
    default:
      return ignore(state, input);
  }
}

function inMessage(state: CallState, input: CallInput, s: MachineSettings): Transition {
  if (state.phase === 'message_prompt' && input.type === 'playback_finished' && input.playbackId === state.playbackId) {
    const name = `${state.callId}-message`;
    return {
      state: { ...state, phase: 'recording', playbackId: undefined, recordingName: name },
      commands: [{ kind: 'record', name }, { kind: 'log', event: 'recording_started', data: { name, maxSeconds: s.messageMaxSeconds } }],
    };
  }
  if (state.phase === 'recording' && input.type === 'recording_finished' && input.name === state.recordingName) {
    const t = play({ ...state, phase: 'closing', closingOutcome: state.answeredAt !== undefined ? 'answered' : 'message_left' }, ['message-saved', 'goodbye']);
    return {
      state: t.state,
      commands: [
        { kind: 'log', event: 'message_left', data: { name: input.name, durationSeconds: input.durationSeconds ?? null } },
        messageIntake(state, input.name),
        ...t.commands,
      ],
    };
  }
  return ignore(state, input);
}

function inConversation(state: CallState, input: CallInput, s: MachineSettings): Transition {
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

function finishConversation(state: CallState): CallCommand[] {
  const leg = state.operator!;
  return [
    { kind: 'hangupOperator', channelId: leg.channelId },
    ...(state.bridgeId ? [{ kind: 'destroyBridge', bridgeId: state.bridgeId } as const] : []),
    { kind: 'operatorWrapUp', userId: leg.userId },
  ];
}

/**
 * The caller's channel ended: they hung up, or (`lost`) Asterisk went away under the call. The same clean-up
 * either way; a lost call is closed by the system, and one no person had taken yet failed (abandoning is the
 * caller's act), as does its transfer leg still ringing. A lost call's caller is hung up too: the channel Asterisk
 * reported first may have been a leg, and Asterisk alone decides whether the others follow (a restart has dropped
 * them already: that hangup then finds no channel, which is harmless).
 */
function callerHungUp(state: CallState, at: number, lost?: CallLost): Transition {
  const left = outcomeOnLeaving(state);
  const outcome = lost && (left === 'abandoned_in_menu' || left === 'abandoned_in_queue') ? 'failed' : left;
  const commands: CallCommand[] = lost ? [{ kind: 'hangupCaller' }] : [];
  if (state.phase === 'connected') commands.push(...finishConversation(state));
  else commands.push(...leaveQueue(state), ...finishTransfer(state, at, { lost: lost !== undefined }));
  if (state.phase === 'recording' && state.recordingName) {
    commands.push({ kind: 'log', event: 'message_left', data: { name: state.recordingName, durationSeconds: null } }, messageIntake(state, state.recordingName));
  } else if (state.phase === 'message_prompt' && state.messageReason === 'transfer_unanswered' && state.transfer) {
    commands.push({ kind: 'transferTicket', leg: state.transfer });
  }
  return end(state, commands, outcome, lost ? 'system' : 'caller', lost);
}

/** A message goes to the ticket of the transfer no one took, or else becomes a ticket for a call back. */
function messageIntake(state: CallState, recordingName: string): CallCommand {
  if (state.messageReason === 'transfer_unanswered' && state.transfer) return { kind: 'transferTicket', leg: state.transfer, recordingName };
  return { kind: 'intake', what: 'message', recordingName };
}

/** Leaving the queue without being answered: the rung operator (if any) is released, not penalised. */
function leaveQueue(state: CallState): CallCommand[] {
  if (state.phase !== 'queued' && state.phase !== 'ringing') return [];
  // A ringing call left the queue already: the claim that rang its operator took it off, in the same step.
  const commands: CallCommand[] = state.phase === 'queued' ? [{ kind: 'dequeue' }] : [];
  if (state.phase === 'ringing' && state.operator) {
    commands.push(
      { kind: 'hangupOperator', channelId: state.operator.channelId },
      { kind: 'log', event: 'operator_released', operatorId: state.operator.userId },
      { kind: 'releaseOperator', userId: state.operator.userId },
    );
  }
  return commands;
}

function outcomeOnLeaving(state: CallState): CallOutcome {
  // Once a person took the call (an operator, or the judge a menu transfer reached), it stays so.
  if (state.answeredAt !== undefined || state.transfer?.answeredAt !== undefined) return closingOutcome(state);
  switch (state.phase) {
    case 'menu':
    case 'case_entry':
    case 'case_lookup':
    case 'transfer_ringing':
      return 'abandoned_in_menu';
    case 'consulting':
    case 'transferred':
      return 'answered';
    case 'queued':
    case 'ringing':
    case 'offer':
      return 'abandoned_in_queue';
    case 'message_prompt':
      return state.messageReason === 'after_hours' ? 'after_hours' : 'abandoned_in_queue';
    case 'recording':
      return 'message_left';
    case 'connected':
      return 'answered';
    case 'closing':
      return state.closingOutcome ?? 'failed';
    case 'ended':
      return 'failed';
  }
}

/** Closes the call; `reason` (in the hangup event's data) says why, where the party alone does not. */
export function end(state: CallState, commands: CallCommand[], outcome: CallOutcome, hangupBy: HangupParty, reason?: string): Transition {
  return {
    state: { ...state, phase: 'ended' },
    commands: [
      ...commands,
      { kind: 'log', event: 'hangup', data: { by: hangupBy, phase: state.phase, ...(reason ? { reason } : {}) } },
      {
        kind: 'close',
        summary: {
          outcome,
          hangupBy,
          inHours: state.inHours,
          skill: state.skill ?? null,
          queuedAt: state.enqueuedAt ?? null,
          answeredAt: state.answeredAt ?? null,
          answeredBy: state.answeredBy ?? null,
        },
      },
    ],
  };
}

export function play(state: CallState, prompts: Extract<CallCommand, { kind: 'play' }>['prompts']): Transition {
  const seq = state.seq + 1;
  const playbackId = `${state.callId}-p${seq}`;
  return { state: { ...state, seq, playbackId }, commands: [{ kind: 'play', playbackId, prompts }] };
}

function announcePosition(state: CallState): Transition {
  const seq = state.seq + 1;
  const playbackId = `${state.callId}-p${seq}`;
  return { state: { ...state, seq, playbackId }, commands: [{ kind: 'announcePosition', playbackId }] };
}

export function stopPrompt(state: CallState): Transition {
  if (!state.playbackId) return { state, commands: [] };
  return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'stopPlayback', playbackId: state.playbackId }] };
}

function ignore(state: CallState, _input: CallInput): Transition {
  return { state, commands: [] };
}
