import type { LiveCall } from '../live-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** The call's own timers, in this process: one that fires comes back to the call as a `timer` input. */
export function startTimer(d: Pick<ExecutorDeps, 'submit'>, call: LiveCall, c: CommandOf<'startTimer'>): void {
  clearTimeout(call.timers.get(c.name));
  const timer = setTimeout(() => {
    call.timers.delete(c.name);
    d.submit(call.state.callId, { type: 'timer', name: c.name, at: Date.now() });
  }, c.ms);
  call.timers.set(c.name, timer);
}

export function cancelTimer(_d: unknown, call: LiveCall, c: CommandOf<'cancelTimer'>): void {
  clearTimeout(call.timers.get(c.name));
  call.timers.delete(c.name);
}
