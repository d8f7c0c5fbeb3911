import { fallbackSkill, menuOptionFor, menuRepeats } from '../menu.ts';
import { startCaseEntry } from './case-entry.ts';
import { enqueue, ignore, play, stopPrompt } from './transitions.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

/** The voice menu: the greeting (or the after-hours and not-in-service prompts), then an option by keypad. */
export function inMenu(state: CallState, input: CallInput, s: MachineSettings): Transition {
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
      const t = play(next, input.recordingNotice ? ['recording-notice', 'welcome', 'menu'] : ['welcome', 'menu']);
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
