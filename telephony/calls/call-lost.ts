import type { AriEvent } from '../ari/types.ts';
import type { CallLost } from './types.ts';

/** Asterisk's soft-hangup reason flags for its own going away (include/asterisk/channel.h AST_SOFTHANGUP_*). */
const softShutdown = 1 << 2;
const softUnload = 1 << 4;

/**
 * Whether Asterisk itself ends a channel as it goes away, not a person or the app: a soft hangup request whose
 * reason flag is shutdown (`core stop|restart now|gracefully`, SIGTERM: every channel) or unload (the channel
 * driver). Then the whole call ends, by the system, whichever of its channels says so first: Asterisk hangs them
 * all up, in no order. Not in the recorded traces: from Asterisk's source (ast_begin_shutdown soft-hangs-up every
 * channel with AST_SOFTHANGUP_SHUTDOWN; ast_softhangup publishes `{cause: <flag>, soft: true}`). A restart by a
 * crash or `kill -9` sends nothing at all: it is found on reconnect (`restartedUnder`, the reconciler).
 */
export function lostWithAsterisk(event: AriEvent): CallLost | undefined {
  if (event.type !== 'ChannelHangupRequest' || event.soft !== true || event.cause === undefined) return undefined;
  if (event.cause & softShutdown) return 'asterisk_shutdown';
  if (event.cause & softUnload) return 'asterisk_unload';
  return undefined;
}

/**
 * Whether the Asterisk a call arrived on has restarted since (`restartedAt`: when this controller first reached
 * an Asterisk with another start time than the one before, on its own clock, as `arrivedAt` is). Channels do not
 * survive a restart: such a call's channel is gone because Asterisk went, not because its caller hung up.
 */
export function restartedUnder(arrivedAt: number, restartedAt: number | undefined): boolean {
  return restartedAt !== undefined && arrivedAt < restartedAt;
}
