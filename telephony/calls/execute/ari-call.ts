import type { AriGone } from '../../ari/errors.ts';
import { tryCommand, type CommandOutcome } from '../../ari/try-command.ts';
import type { AriCommand } from '../../ari/types.ts';
import type { Prompt } from '../../menu.ts';
import { shippedPrompts } from '../../prompts/court-prompts.ts';
import { restartedUnder } from '../call-lost.ts';
import type { LiveCall } from '../live-call.ts';
import type { ExecutorDeps } from './deps.ts';

export type AriCallDeps = Pick<ExecutorDeps, 'ari' | 'submit'>;

/**
 * Sends one ARI command for a call. A failure is logged and never escapes (a gone channel is normal: its hangup
 * event follows); a gone caller channel may stand for a hangup whose event was lost (`foundGone`).
 */
export async function ariCommand(d: AriCallDeps, call: LiveCall, command: AriCommand): Promise<void> {
  await tryAriCommand(d, call, command);
}

/** As ariCommand, saying how it went: done, its object gone, or failed (logged). */
export function tryAriCommand(d: AriCallDeps, call: LiveCall, command: AriCommand): Promise<CommandOutcome> {
  return tryCommand(d.ari, call.log, command, (err) => foundGone(d, call, command, err));
}

/**
 * A command found its object gone. On the caller's own channel: they hung up, even if that event never reaches us
 * (it was lost with a dropped websocket); or Asterisk restarted since the call arrived, and dropped it. Heard while
 * ARI is disconnected (the answer of an Asterisk restarting under us), it is left to the reconcile after the
 * reconnect, which knows which. A second hangup input for the same call is ignored by the machine.
 */
export function foundGone(d: AriCallDeps, call: LiveCall, command: AriCommand, err: AriGone): void {
  if (!('channelId' in command) || command.channelId !== call.state.channelId || !/Channel not (found|in Stasis)/.test(err.message)) return;
  if (!d.ari.connected) return;
  const at = Date.now();
  d.submit(call.state.callId, restartedUnder(call.arrivedAt, d.ari.restartedAt) ? { type: 'caller_lost', reason: 'asterisk_restart', at } : { type: 'caller_hangup', at });
}

/** The sound URIs of prompts for a call's court: the court's own (prompts/court-prompts.ts) or the shipped ones. */
export function promptMedia(d: Pick<ExecutorDeps, 'soundsDir' | 'prompts'>, courtId: string | null, prompts: Prompt[]): string[] {
  return (d.prompts ?? shippedPrompts(d.soundsDir)).media(courtId, prompts);
}
