import type { Logger } from '../../platform/logger.ts';
import type { LiveState } from './live-state.ts';

export interface WaitingCall {
  courtId: string | null;
  skill: string;
}

export interface DispatcherOptions {
  live: LiveState;
  logger: Logger;
  /** How long a claimed operator may stay ringing before a sweep frees them (ring time plus grace). */
  ringHoldMs: number;
  /** Hands the operator to the call (through the call's own serial queue). */
  assign(callId: string, operator: { userId: string; endpoint: string }): void;
  now?: () => number;
}

/**
 * ACD: matches this controller's waiting callers, in queue order, with the longest-idle ready operator
 * having the skill. Runs are coalesced: a kick during a run causes one more run, never two at once.
 */
export class Dispatcher {
  private readonly waitingHere = new Map<string, WaitingCall>();
  private running: Promise<void> | undefined;
  private again = false;
  private readonly now: () => number;

  constructor(private readonly o: DispatcherOptions) {
    this.now = o.now ?? Date.now;
  }

  add(callId: string, call: WaitingCall): void {
    this.waitingHere.set(callId, call);
  }

  remove(callId: string): void {
    this.waitingHere.delete(callId);
  }

  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.runOnce();
      } catch (err) {
        this.o.logger.warn({ err: (err as Error).message }, 'queue dispatch failed; retrying on the next kick');
      }
    } while (this.again);
  }

  private async runOnce(): Promise<void> {
    if (this.waitingHere.size === 0) return;
    const courts = new Set([...this.waitingHere.values()].map((c) => c.courtId));
    for (const courtId of courts) {
      const noOperatorFor = new Set<string>();
      for (const { callId } of await this.o.live.waiting(courtId)) {
        const call = this.waitingHere.get(callId);
        if (!call || noOperatorFor.has(call.skill)) continue;
        const now = this.now();
        const operator = await this.o.live.claim(courtId, call.skill, callId, now, now + this.o.ringHoldMs);
        if (!operator) {
          noOperatorFor.add(call.skill);
          continue;
        }
        await this.o.live.dequeue(courtId, callId);
        this.waitingHere.delete(callId);
        this.o.assign(callId, operator);
      }
    }
  }
}
