import type { Logger } from '../../platform/logger.ts';
import { AriGone } from './errors.ts';
import type { AriCommand } from './types.ts';

export type CommandOutcome = 'done' | 'gone' | 'failed';

/**
 * Sends one ARI command for a call or a callback, saying how it went: done, its object gone (usually a party hung up;
 * `onGone` hears it), or failed (logged). Nothing escapes.
 */
export async function tryCommand(ari: { execute(command: AriCommand): Promise<unknown> }, log: Logger, command: AriCommand, onGone?: (err: AriGone) => void): Promise<CommandOutcome> {
  try {
    await ari.execute(command);
    return 'done';
  } catch (err) {
    if (!(err instanceof AriGone)) {
      log.warn({ command: command.kind, err: (err as Error).message }, 'ARI command failed');
      return 'failed';
    }
    log.debug({ command: command.kind, err: err.message }, 'ARI object already gone');
    onGone?.(err);
    return 'gone';
  }
}
