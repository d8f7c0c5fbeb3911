import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { errors } from '../../platform/http/errors.ts';
import { maskPersonalText } from '../../platform/masking.ts';
import { users } from '../../platform/directory.sql.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { TelephonyError } from '../errors.ts';
import { holdLiftNotAllowed, isHolderRole, mayLiftHold, type HolderRole } from './hold-authority.ts';
import { calls } from '../telephony.sql.ts';
import type { RecordingKind } from './names.ts';
import { recordings } from './recordings.sql.ts';
import { recordingHolds } from './retention.sql.ts';


/**
 * Where holds are audited: the api capability's trail (`deps.services.audit`), in the hold's own transaction, so a
 * hold and its entry land together. Heads and managers place holds too, whom the admin-action hook does not record;
 * a lift refused for want of authority is recorded too (`recording.hold_lift_refused`), the hold left as it was.
 */
export interface HoldAudit {
  record(
    entry: {
      action: 'recording.hold_placed' | 'recording.hold_lifted' | 'recording.hold_lift_refused';
      courtId: string;
      actorUserId: string;
      targetType: 'call';
      targetId: string;
      detail: Record<string, unknown>;
      ip: string;
    },
    tx: Pick<Db, 'insert'>,
  ): Promise<void>;
}

export interface HoldView {
  id: string;
  callId: string;
  kind: RecordingKind;
  /** The call's arrival, so a list can say which call it is. */
  callArrivedAt: string;
  recordingStatus: string;
  reason: string;
  /** With the role they placed it in, which is the authority needed to lift it. */
  placedBy: { id: string; name: string; role: HolderRole };
  placedAt: string;
  lifted: { by: { id: string; name: string }; at: string; reason: string } | null;
  /** Whether the viewer may lift it: active, and placed by a role no higher than the viewer's. */
  mayLift: boolean;
}

const placer = alias(users, 'placer');
const lifter = alias(users, 'lifter');

/** A court's holds (or one call's), active first, newest first, as `viewer` sees them (whether they may lift each). */
export async function listHolds(db: Db, viewer: Pick<Actor, 'courtId' | 'role'>, o: { callId?: string; activeOnly?: boolean; limit?: number } = {}): Promise<HoldView[]> {
  const rows = await db
    .select({ hold: recordingHolds, arrivedAt: recordings.callArrivedAt, status: recordings.status, placerName: placer.displayName, lifterName: lifter.displayName })
    .from(recordingHolds)
    .innerJoin(recordings, and(eq(recordings.callId, recordingHolds.callId), eq(recordings.kind, recordingHolds.kind)))
    .leftJoin(placer, eq(placer.id, recordingHolds.placedBy))
    .leftJoin(lifter, eq(lifter.id, recordingHolds.liftedBy))
    .where(and(eq(recordingHolds.courtId, viewer.courtId), o.callId ? eq(recordingHolds.callId, o.callId) : undefined, o.activeOnly ? isNull(recordingHolds.liftedAt) : undefined))
    .orderBy(sql`${recordingHolds.liftedAt} is not null`, desc(recordingHolds.placedAt))
    .limit(o.limit ?? 500);
  return rows.map(({ hold: h, arrivedAt, status, placerName, lifterName }) => ({
    id: h.id,
    callId: h.callId,
    kind: h.kind,
    callArrivedAt: arrivedAt.toISOString(),
    recordingStatus: status,
    reason: h.reason,
    placedBy: { id: h.placedBy, name: placerName ?? '', role: h.placedByRole },
    placedAt: h.placedAt.toISOString(),
    lifted: h.liftedAt && h.liftedBy ? { by: { id: h.liftedBy, name: lifterName ?? '' }, at: h.liftedAt.toISOString(), reason: h.liftReason ?? '' } : null,
    mayLift: !h.liftedAt && mayLiftHold(viewer.role, h.placedByRole),
  }));
}

const callNotFound = () => new TelephonyError('call_not_found', '来电不存在', 'No such call', 404);

/**
 * Puts a hold on one of the actor's court's recordings. The recording row is locked first, so the retention job,
 * which locks the rows it removes, either sees the hold or has already removed the recording (refused here).
 */
export async function placeHold(db: Db, audit: HoldAudit, actor: Actor, o: { callId: string; kind: RecordingKind; reason: string; ip: string; now?: Date }): Promise<string> {
  const placedByRole = actor.role;
  if (!isHolderRole(placedByRole)) throw errors.forbidden();
  const [call] = await db.select({ courtId: calls.courtId }).from(calls).where(eq(calls.id, o.callId)).limit(1);
  if (!call || call.courtId !== actor.courtId) throw callNotFound();
  return db.transaction(async (tx: Tx) => {
    const [rec] = await tx
      .select({ status: recordings.status })
      .from(recordings)
      .where(and(eq(recordings.callId, o.callId), eq(recordings.kind, o.kind)))
      .for('update');
    if (!rec || rec.status === 'missing') throw new HotlineError('recording_not_found', 404, 'This call has no such recording to hold', '该来电没有此录音，无法保全');
    if (rec.status === 'removed') throw new HotlineError('recording_removed', 410, 'The recording was already deleted at the end of its retention period: there is nothing to hold', '录音已超过保存期限并被删除，无法保全');
    const [hold] = await tx
      .insert(recordingHolds)
      .values({ callId: o.callId, kind: o.kind, courtId: actor.courtId, reason: o.reason, placedBy: actor.userId, placedByRole, placedAt: o.now ?? new Date() })
      .onConflictDoNothing()
      .returning({ id: recordingHolds.id });
    if (!hold) throw new HotlineError('recording_already_held', 409, 'This recording is already under a legal hold', '该录音已在保全中');
    await audit.record({ action: 'recording.hold_placed', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'call', targetId: o.callId, detail: { kind: o.kind, holdId: hold.id, reason: maskPersonalText(o.reason) }, ip: o.ip }, tx);
    return hold.id;
  });
}

/**
 * Lifts one of the actor's court's holds; the row stays, with who lifted it, when and why. Returns the hold's call.
 * Only someone with at least the placer's authority lifts it (403 `hold_lift_not_allowed`, nothing changed); such a
 * refusal is audited (`recording.hold_lift_refused`: who in which role, the call, the placer's role, the reason
 * masked), committed with the hold untouched before the 403 is thrown, for the court's auditors to see the attempt.
 */
export async function liftHold(db: Db, audit: HoldAudit, actor: Actor, o: { holdId: string; reason: string; ip: string; now?: Date }): Promise<string> {
  const outcome = await db.transaction(async (tx: Tx): Promise<{ callId: string } | { refused: HolderRole }> => {
    const [hold] = await tx.select().from(recordingHolds).where(eq(recordingHolds.id, o.holdId)).for('update');
    // Another court's hold is "not found", as any record of another court.
    if (!hold || hold.courtId !== actor.courtId) throw new HotlineError('hold_not_found', 404, 'No such legal hold', '没有这项保全');
    if (hold.liftedAt) throw new HotlineError('hold_already_lifted', 409, 'This legal hold was already lifted', '该保全已解除');
    const entry = { courtId: actor.courtId, actorUserId: actor.userId, targetType: 'call' as const, targetId: hold.callId, ip: o.ip };
    const reason = maskPersonalText(o.reason);
    if (!mayLiftHold(actor.role, hold.placedByRole)) {
      await audit.record({ ...entry, action: 'recording.hold_lift_refused', detail: { kind: hold.kind, holdId: hold.id, placedByRole: hold.placedByRole, actorRole: actor.role, reason } }, tx);
      return { refused: hold.placedByRole };
    }
    await tx.update(recordingHolds).set({ liftedBy: actor.userId, liftedAt: o.now ?? new Date(), liftReason: o.reason }).where(eq(recordingHolds.id, o.holdId));
    await audit.record({ ...entry, action: 'recording.hold_lifted', detail: { kind: hold.kind, holdId: hold.id, reason } }, tx);
    return { callId: hold.callId };
  });
  if ('refused' in outcome) throw holdLiftNotAllowed(outcome.refused);
  return outcome.callId;
}
