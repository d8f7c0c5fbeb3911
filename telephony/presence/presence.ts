import { randomUUID } from 'node:crypto';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { LiveState } from '../acd/live-state.ts';
import type { CallJournal } from '../records/journal.ts';
import { publishTelephonyEvent } from '../realtime-events.ts';
import { allowedFrom, type PresenceChange, type PresenceState } from './presence-state.ts';

export interface PresenceOptions {
  live: LiveState;
  journal: CallJournal;
  events: EventBus;
  logger: Logger;
  wrapUpMs: number;
  /** Grace after a ring's end before a ringing operator whose controller vanished is made ready again. */
  staleRingMs: number;
  /** Called when an operator becomes ready, so waiting callers are matched at once. */
  onReady: () => void;
  now?: () => number;
}

/** Every presence change: a compare-and-set in Redis, a persisted presence event and a realtime event. */
export class Presence {
  private readonly now: () => number;

  constructor(private readonly o: PresenceOptions) {
    this.now = o.now ?? Date.now;
  }

  async change(userId: string, change: PresenceChange, to: PresenceState, opts: { reason?: string; callId?: string } = {}): Promise<boolean> {
    // An operator who signed out mid-call leaves the queue when the call lets them go, instead of becoming
    // ready or paused again; their own next choice clears the mark. Checked by the transition itself (one round trip).
    const leaving = change.startsWith('choose:') ? 'clear' : to === 'ready' || to === 'paused' ? 'redirect' : undefined;
    const now = this.now();
    const dueAt = to === 'wrap_up' ? now + this.o.wrapUpMs : 0;
    const result = await this.o.live.transition(userId, allowedFrom[change] ?? [], to, { now, dueAt, ...opts, ...(leaving ? { leaving } : {}) });
    if (!result?.changed) return false;
    to = result.to;
    this.record(userId, result.courtId, now, to, result.previous, result.reason || null, opts.callId ?? null);
    if (to === 'ready') this.o.onReady();
    return true;
  }

  /** The dispatcher's claim already moved the operator to ringing in Redis; this records it. */
  recordRinging(userId: string, courtId: string | null, callId: string): void {
    this.record(userId, courtId, this.now(), 'ringing', 'ready', null, callId);
  }

  /** Wrap-ups that have run their time become ready; rings left by a vanished controller are released. */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const userId of await this.o.live.due(now)) {
      const op = await this.o.live.operator(userId);
      if (op?.state === 'wrap_up') await this.change(userId, 'system:wrap_up_done', 'ready');
      else if (op?.state === 'ringing' && now - op.since > this.o.staleRingMs) await this.change(userId, 'system:stale', 'ready', { reason: 'ring_lost' });
    }
  }

  /**
   * Operators left ringing or on a call by a call that is no longer live (its controller crashed or it ended
   * while none was connected): a ring is released (ready), a call goes to wrap-up.
   */
  async settleOrphans(isLive: (callId: string) => Promise<boolean>): Promise<void> {
    for (const op of await this.o.live.allOperators()) {
      if (op.state !== 'ringing' && op.state !== 'on_call') continue;
      if (op.callId && (await isLive(op.callId))) continue;
      if (op.state === 'on_call') await this.change(op.userId, 'system:wrap_up', 'wrap_up', { reason: 'call_lost', ...(op.callId ? { callId: op.callId } : {}) });
      else await this.change(op.userId, 'system:stale', 'ready', { reason: 'ring_lost', ...(op.callId ? { callId: op.callId } : {}) });
    }
  }

  private record(userId: string, courtId: string | null, at: number, state: PresenceState, previous: PresenceState, reason: string | null, callId: string | null): void {
    this.o.journal.append({ kind: 'presence', id: randomUUID(), operatorId: userId, courtId, at, state, previous, reason, callId });
    void publishTelephonyEvent(this.o.events, 'presence.changed', courtId, { operatorId: userId, state, previous, reason, at: new Date(at).toISOString() });
    this.o.logger.debug({ operatorId: userId, state, previous, reason }, 'presence changed');
  }
}
