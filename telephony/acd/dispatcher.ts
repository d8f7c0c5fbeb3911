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
    if (this.waitingHere.size === 0) return;
    const byCourt = new Map<string | null, { calls: Array<{ callId: string; skill: string }>; adding: Array<{ callId: string; enqueuedAt: number }>; sent: Array<[string, Adding]> }>();
    const court = (courtId: string | null) => {
      let entry = byCourt.get(courtId);
      if (!entry) byCourt.set(courtId, (entry = { calls: [], adding: [], sent: [] }));
      return entry;
    };
    for (const [callId, call] of this.waitingHere) court(call.courtId).calls.push({ callId, skill: call.skill });
    for (const [callId, add] of this.adding) {
      const entry = court(add.courtId);
      entry.adding.push({ callId, enqueuedAt: add.enqueuedAt });
      entry.sent.push([callId, add]);
    }
    for (const [courtId, { calls, adding, sent }] of byCourt) {
      const now = this.now();
      const claimed = await this.o.live.claimMany(courtId, calls, now, now + this.o.ringHoldMs, adding);
      // Written: forget them, unless the call was added again meanwhile (a later entry of its own).
      for (const [callId, add] of sent) if (this.adding.get(callId) === add) this.adding.delete(callId);
      for (const { callId, userId, endpoint } of claimed) {
        this.waitingHere.delete(callId);
        this.o.assign(callId, { userId, endpoint });
      }
    }
  }
}
