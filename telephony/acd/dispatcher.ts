import type { Logger } from '../../platform/logger.ts';
import type { LiveState } from './live-state.ts';

export interface WaitingCall {
  courtId: string | null;
  skill: string;
}

/** A call to put in the court's queue with its next dispatch round (the same round trip as its claim). */
interface Adding {
  courtId: string | null;
  enqueuedAt: number;
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
 * A new caller enters the court's queue in Redis with the next run (one script call for the queue write and the
 * claim); until a run has written it, it stays to be added, so a failed run adds it on the next kick (at the
 * latest the controller's one-second tick), keeping its original place.
 */
export class Dispatcher {
  private readonly waitingHere = new Map<string, WaitingCall>();
  private readonly adding = new Map<string, Adding>();
  /** Callers who left, still to be taken out of their court's queue (a removal that failed), by call id. */
  private readonly leavers = new Map<string, string | null>();
  private running: Promise<void> | undefined;
  private again = false;
  private readonly now: () => number;

  constructor(private readonly o: DispatcherOptions) {
    this.now = o.now ?? Date.now;
  }

  /** A caller waiting here; with `enqueuedAt`, also one to put in the court's queue with the next run. */
  add(callId: string, call: WaitingCall, enqueuedAt?: number): void {
    this.waitingHere.set(callId, call);
    if (enqueuedAt !== undefined) this.adding.set(callId, { courtId: call.courtId, enqueuedAt });
  }

  remove(callId: string): void {
    this.waitingHere.delete(callId);
    this.adding.delete(callId);
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
    for (const [callId, courtId] of this.leavers) await this.takeOut(courtId, callId);
    const courts = new Set<string | null>();
    for (const call of this.waitingHere.values()) courts.add(call.courtId);
    for (const courtId of courts) await this.runCourt(courtId);
  }

  /** One court's round. Its calls are read right before it is sent: a caller who left during an earlier court's round is not in it. */
  private async runCourt(courtId: string | null): Promise<void> {
    const calls: Array<{ callId: string; skill: string }> = [];
    const sent: Array<[string, Adding]> = [];
    for (const [callId, call] of this.waitingHere) if (call.courtId === courtId) calls.push({ callId, skill: call.skill });
    for (const [callId, add] of this.adding) if (add.courtId === courtId) sent.push([callId, add]);
    if (calls.length === 0 && sent.length === 0) return;
    const now = this.now();
    let claimed: Awaited<ReturnType<LiveState['claimMany']>>;
    try {
      claimed = await this.o.live.claimMany(courtId, calls, now, now + this.o.ringHoldMs, sent.map(([callId, add]) => ({ callId, enqueuedAt: add.enqueuedAt })));
    } finally {
      this.takeOutLeavers(courtId, sent);
    }
    // Written: forget them, unless the call was added again meanwhile (a later entry of its own).
    for (const [callId, add] of sent) if (this.adding.get(callId) === add) this.adding.delete(callId);
    for (const { callId, userId, endpoint } of claimed) {
      this.waitingHere.delete(callId);
      this.o.assign(callId, { userId, endpoint });
    }
  }

  /**
   * A caller who left while their round was on its way may have been written after their dequeue reached Redis
   * (a script sent again after NOSCRIPT goes after it; a failed round may have run all the same): taken out again,
   * or they would stay in the queue for good.
   */
  private takeOutLeavers(courtId: string | null, sent: Array<[string, Adding]>): void {
    for (const [callId, add] of sent) {
      if (this.adding.get(callId) === add || this.waitingHere.has(callId)) continue;
      void this.takeOut(courtId, callId);
    }
  }

  /** Removes a caller who left from the court's queue; a failure is logged and tried again with the next round. */
  private async takeOut(courtId: string | null, callId: string): Promise<void> {
    try {
      await this.o.live.dequeue(courtId, callId);
      this.leavers.delete(callId);
    } catch (err) {
      if (!this.leavers.has(callId)) this.o.logger.warn({ err: (err as Error).message, callId }, 'could not take a caller who left out of the queue; trying again with the next round');
      this.leavers.set(callId, courtId);
    }
  }
}
