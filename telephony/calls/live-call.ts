import type { Logger } from '../../platform/logger.ts';
import type { CallState, TimerName } from './types.ts';

/** A call this controller is handling: its machine state plus what the executor needs around it. */
export interface LiveCall {
  state: CallState;
  arrivedAt: number;
  dialled: string;
  /** The call's serial queue: inputs are processed one after another, calls independently. */
  chain: Promise<void>;
  timers: Map<TimerName, NodeJS.Timeout>;
  /** The caller's channel and every leg's: what to unmap when the call is forgotten. */
  channels: string[];
  /** Order of this call's events. */
  eventSeq: number;
  /** Taken over from an earlier controller: its first steps may repeat what that one logged last. */
  takenOver?: true;
  log: Logger;
}
