import { enqueue, play, stopPrompt } from './transitions.ts';
import { menuTransfer } from './transfer.ts';
import type { CallCommand, CallInput, CallState, MachineSettings, Transition } from './types.ts';

/**
 * Menu option 1, "contact the judge of my case": the caller keys the digits of their case number in order
 * (for （2024）豫0811民初1234号: 2024 0811 1234) and #. The case directory finds the handling judge and the
 * call is transferred straight to them; not found, or silence, → an operator (skill judge_contact).
 * `*` starts the entry again.
 */
const maxDigits = 24;

export function startCaseEntry(state: CallState, first: CallCommand[], s: MachineSettings): Transition {
  const t = play({ ...state, phase: 'case_entry', caseDigits: '' }, ['enter-case-number']);
  return { state: t.state, commands: [...first, ...t.commands, { kind: 'startTimer', name: 'case_entry', ms: s.caseEntryTimeoutMs }] };
}

export function inCaseEntry(state: CallState, input: CallInput, s: MachineSettings): Transition {
  switch (input.type) {
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return { state, commands: [] };
      return { state: { ...state, playbackId: undefined }, commands: [{ kind: 'startTimer', name: 'case_entry', ms: s.caseEntryTimeoutMs }] };
    case 'digit': {
      const stop = stopPrompt(state);
      const digits = state.caseDigits ?? '';
      if (input.digit === '*') return { state: { ...stop.state, caseDigits: '' }, commands: [...stop.commands, { kind: 'startTimer', name: 'case_entry', ms: s.caseEntryTimeoutMs }] };
      if (input.digit === '#') return lookup(stop.state, digits, stop.commands, input.at, s);
      if (!/^[0-9]$/.test(input.digit) || digits.length >= maxDigits) return { state: stop.state, commands: stop.commands };
      return { state: { ...stop.state, caseDigits: digits + input.digit }, commands: [...stop.commands, { kind: 'startTimer', name: 'case_entry', ms: s.caseEntryTimeoutMs }] };
    }
    case 'timer':
      if (input.name !== 'case_entry' || state.playbackId) return { state, commands: [] };
      return lookup(state, state.caseDigits ?? '', [], input.at, s);
    default:
      return { state, commands: [] };
  }
}

function lookup(state: CallState, digits: string, first: CallCommand[], at: number, s: MachineSettings): Transition {
  const commands: CallCommand[] = [...first, { kind: 'cancelTimer', name: 'case_entry' }];
  if (digits.length === 0) return toOperator(state, [...commands, { kind: 'log', event: 'case_not_found', data: { digits: '', reason: 'no_input' } }], at, s);
  return { state: { ...state, phase: 'case_lookup' }, commands: [...commands, { kind: 'lookupCase', digits }] };
}

export function inCaseLookup(state: CallState, input: CallInput, s: MachineSettings): Transition {
  switch (input.type) {
    case 'case_found':
      return menuTransfer(state, input.target, input.caseNumber, input.at, s);
    case 'case_not_found': {
      const t = play(state, ['case-not-found']);
      return { state: t.state, commands: [{ kind: 'log', event: 'case_not_found', data: { digits: input.digits, reason: input.reason } }, ...t.commands] };
    }
    case 'playback_finished':
      if (input.playbackId !== state.playbackId) return { state, commands: [] };
      return toOperator({ ...state, playbackId: undefined }, [], input.at, s);
    default:
      return { state, commands: [] };
  }
}

function toOperator(state: CallState, first: CallCommand[], at: number, s: MachineSettings): Transition {
  const queued = enqueue(state, 'judge_contact', at, s, 'choice');
  return { state: queued.state, commands: [...first, ...queued.commands] };
}
