import type { Skill } from '../menu.ts';
import type { CallCommand, CallInput, CallOutcome, CallState, HangupParty, MachineSettings, Transition } from './types.ts';

/**
 * The steps every phase of the call machine builds its transitions from: prompts, the queue's entry and the
 * callback offer, the call's end. Pure, like the machine: (state, …) → {state, commands}.
 */

export function play(state: CallState, prompts: Extract<CallCommand, { kind: 'play' }>['prompts']): Transition {
  const seq = state.seq + 1;
  const playbackId = `${state.callId}-p${seq}`;
  return { state: { ...state, seq, playbackId }, commands: [{ kind: 'play', playbackId, prompts }] };
}

export function stopPrompt(state: CallState): Transition {
  if (!state.playbackId) return { state, commands: [] };
  return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'stopPlayback', playbackId: state.playbackId }] };
}

export function ignore(state: CallState, _input: CallInput): Transition {
  return { state, commands: [] };
}

/** Connected to an operator who answered, but not yet found in the bridge with them: not talking, not answered. */
export function awaitingBridge(state: CallState): boolean {
  return state.phase === 'connected' && state.operator !== undefined && state.bridging === true;
}

/**
 * Closes the call; `reason` (in the hangup event's data) says why, where the party alone does not. An operator's
 * answer that never became a bridge is not carried into the close (calls/bridge-failed.ts).
 */
export function end(state: CallState, commands: CallCommand[], outcome: CallOutcome, hangupBy: HangupParty, reason?: string): Transition {
  const answered = !awaitingBridge(state);
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
          answeredAt: answered ? (state.answeredAt ?? null) : null,
          answeredBy: answered ? (state.answeredBy ?? null) : null,
        },
      },
    ],
  };
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
