import { eq } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { users } from '../platform/directory.sql.ts';
import type { LiveState, OperatorLive } from './acd/live-state.ts';
import { softphoneCredentials, type SoftphoneCredentials } from './endpoints/sip-credentials.ts';
import { TelephonyError } from './errors.ts';
import { consoleLostReason, type ChosenState, type LeaveReason, type PresenceState } from './presence/presence-state.ts';
import type { Presence } from './presence/presence.ts';
import { callerHistory } from './records/history.ts';
import type { CallerHistoryEntry } from './realtime-events.ts';
import { operatorSkills } from './telephony.sql.ts';

export interface PresenceView {
  state: PresenceState;
  reason: string | null;
  since: string | null;
  /** While in wrap-up: when it ends (the console's countdown). */
  wrapUpEndsAt: string | null;
}

export interface QueueSnapshot {
  waiting: Array<{ callId: string; position: number; waitedMs: number }>;
  operators: Array<Pick<OperatorLive, 'userId' | 'state' | 'reason' | 'since' | 'skills'>>;
}

/**
 * What the API's routes call (they check sign-in and role; this checks the directory and the state rules).
 * `operatorId` is the signed-in user's id.
 */
export class TelephonyService {
  constructor(
    private readonly db: Db,
    private readonly live: LiveState,
    private readonly presence: Presence,
    private readonly wrapUpMs: number,
    /** HOTLINE_SIP_PASSWORD_SECRET: operators' SIP passwords derive from it (endpoints/sip-credentials.ts). */
    private readonly sipPasswordSecret: string | undefined = undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The operator's presence as the console shows it; `logged_out` when they never signed in to the queue. */
  async presenceOf(operatorId: string): Promise<PresenceView> {
    const op = await this.live.operator(operatorId);
    if (!op) return { state: 'logged_out', reason: null, since: null, wrapUpEndsAt: null };
    return {
      state: op.state,
      reason: op.reason || null,
      since: op.since ? new Date(op.since).toISOString() : null,
      wrapUpEndsAt: op.state === 'wrap_up' && op.since ? new Date(op.since + this.wrapUpMs).toISOString() : null,
    };
  }

  async setPresence(operatorId: string, state: ChosenState, reason?: string): Promise<OperatorLive> {
    if (state === 'paused' && !reason?.trim()) throw new TelephonyError('reason_required', '暂停需要填写原因', 'a pause needs a reason');
    const [user] = await this.db.select().from(users).where(eq(users.id, operatorId));
    if (!user || !user.active) throw new TelephonyError('operator_not_found', '找不到该话务员', 'no such active user', 404);
    if (user.role !== 'operator') throw new TelephonyError('not_an_operator', '只有话务员可以设置坐席状态', 'only operators have a presence');
    if (!user.sipEndpoint) throw new TelephonyError('no_softphone', '该话务员没有配置软电话分机', 'this operator has no softphone endpoint (users.sip_endpoint)');
    const skills = await this.db.select({ skill: operatorSkills.skill }).from(operatorSkills).where(eq(operatorSkills.userId, operatorId));
    await this.live.register({ userId: operatorId, courtId: user.courtId, endpoint: user.sipEndpoint, skills: skills.map((s) => s.skill) });
    const changed = await this.presence.change(operatorId, `choose:${state}`, state, reason ? { reason } : {});
    const now = await this.live.operator(operatorId);
    if (!changed && now?.state !== state) {
      throw new TelephonyError('presence_conflict', `当前状态（${now?.state}）下不能改为 ${state}`, `cannot change from ${now?.state} to ${state} now`, 409);
    }
    return now!;
  }

  /**
   * The person left (signed out, or their last session ended): out of the queue now, or, with a call ringing or
   * in hand, as soon as that call lets them go. Answers the state they are in (null: never in the queue).
   */
  async leaveQueue(operatorId: string, reason: LeaveReason): Promise<PresenceState | null> {
    if (!(await this.live.operator(operatorId))) return null;
    if (await this.presence.change(operatorId, 'system:signed_out', 'logged_out', { reason })) return 'logged_out';
    const op = await this.live.operator(operatorId);
    if (op?.state !== 'ringing' && op?.state !== 'on_call') return op?.state ?? null;
    await this.live.markLeaving(operatorId);
    // The call may have ended between the two reads: try once more, and drop the mark if that did it.
    if (await this.presence.change(operatorId, 'system:signed_out', 'logged_out', { reason })) {
      await this.live.takeLeaving(operatorId);
      return 'logged_out';
    }
    return op.state;
  }

  /**
   * The operator's console lost its websocket longer than the setting: a ready (or wrapping-up) operator is
   * paused. `busy`: a call is ringing or in hand, ask again later; `idle`: nothing to do.
   */
  async consoleLost(operatorId: string): Promise<'paused' | 'busy' | 'idle'> {
    if (await this.presence.change(operatorId, 'system:console_lost', 'paused', { reason: consoleLostReason })) return 'paused';
    const op = await this.live.operator(operatorId);
    return op?.state === 'ringing' || op?.state === 'on_call' ? 'busy' : 'idle';
  }

  callerHistory(callerNumber: string, courtId: string | null): Promise<CallerHistoryEntry[]> {
    return callerHistory(this.db, callerNumber, courtId);
  }

  /** What the user's browser softphone registers with (the console asks, for the signed-in operator). */
  softphoneCredentials(userId: string): Promise<SoftphoneCredentials> {
    return softphoneCredentials(this.db, this.sipPasswordSecret, userId);
  }

  async queueSnapshot(courtId: string | null): Promise<QueueSnapshot> {
    const now = this.now();
    const [waiting, operators] = await Promise.all([this.live.waiting(courtId), this.live.operators(courtId)]);
    return {
      waiting: waiting.map((w, i) => ({ callId: w.callId, position: i + 1, waitedMs: now - w.enqueuedAt })),
      operators: operators.map(({ userId, state, reason, since, skills }) => ({ userId, state, reason, since, skills })),
    };
  }
}
