import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { errors } from '../../platform/http/errors.ts';
import type { Sealing } from '../../platform/seals/seals.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { formOfCourt } from './forms.ts';
import { qualityReviews } from './quality.sql.ts';
import { scoreOf } from './scoring.ts';
import { appendQualityEvent, type QualityEventKind, type Tx } from './trail.ts';

type Review = typeof qualityReviews.$inferSelect;
export const reviewStatuses = ['sampled', 'scored', 'appealed', 'accepted', 'decided'] as const;

export const reviewLocked = () => new HotlineError('review_locked', 409, 'This review is locked (accepted, or its appeal decided): it cannot be changed; a manager may add a sealed note', '该质检结果已锁定（已确认或申诉已裁决），不能修改；管理人员可追加留痕说明');
const wrongState = (en: string, zh: string) => new HotlineError('review_state', 409, en, zh);

/** Who may see a review: the court's heads and managers, and the operator it reviews (others: not found). */
export function assertMayRead(actor: Actor, review: Review | undefined): asserts review is Review {
  if (!review || review.courtId !== actor.courtId) throw errors.notFound('review');
  if (actor.role === 'operator' && review.operatorId !== actor.userId) throw errors.notFound('review');
  if (!['operator', 'department_head', 'manager'].includes(actor.role)) throw errors.notFound('review');
}

export async function readReview(db: Pick<Db, 'select'>, actor: Actor, id: string): Promise<Review> {
  const [review] = await db.select().from(qualityReviews).where(eq(qualityReviews.id, id));
  assertMayRead(actor, review);
  return review;
}

/**
 * One change of a review: the row is locked (FOR UPDATE), checked, changed and its sealed event appended in one
 * transaction. A locked review is refused before anything else, whatever the change.
 */
async function change(db: Db, seals: Sealing, actor: Actor, id: string, kind: QualityEventKind, apply: (review: Review, tx: Tx) => Promise<{ set: Partial<Review>; data: Record<string, unknown> }>): Promise<void> {
  const done = await db.transaction(async (tx) => {
    const [review] = await tx.select().from(qualityReviews).where(eq(qualityReviews.id, id)).for('update');
    assertMayRead(actor, review);
    if (review.lockedAt && kind !== 'amended') throw reviewLocked();
    const { set, data } = await apply(review, tx);
    if (Object.keys(set).length > 0) {
      const updated = await tx.update(qualityReviews).set(set).where(eq(qualityReviews.id, id)).returning({ id: qualityReviews.id });
      if (updated.length !== 1) throw new Error(`quality review ${id} not updated`);
    }
    return appendQualityEvent(tx, seals, { courtId: review.courtId, reviewId: id, kind, actorId: actor.userId, at: new Date(), data });
  });
  done.after();
}

export interface ScoreInput {
  formId: string;
  points: Record<string, number>;
  fatalFailed: string[];
  comment: string;
}

/** A head or manager scores a sampled call, or scores it again until the operator accepts or appeals. */
export function scoreReview(db: Db, seals: Sealing, actor: Actor, id: string, input: ScoreInput): Promise<void> {
  return change(db, seals, actor, id, 'scored', async (review, tx) => {
    if (review.status !== 'sampled' && review.status !== 'scored') throw wrongState('The operator has appealed: the manager decides it', '话务员已申诉，由管理人员裁决');
    const form = await formOfCourt(tx, actor.courtId, input.formId);
    if (form.retiredAt && form.id !== review.formId) throw new HotlineError('form_retired', 409, 'This form version is retired', '该评分表版本已停用');
    const { score, fatal } = scoreOf(form.items, input.points, input.fatalFailed);
    const at = new Date();
    return {
      set: { status: 'scored', formId: form.id, reviewerId: actor.userId, points: input.points, fatalFailed: input.fatalFailed, score, fatal, comment: input.comment, scoredAt: at },
      // The call and week are sealed with the score: the figures count it under that week (trail-verify.ts).
      data: { callId: review.callId, week: review.week, formId: form.id, points: input.points, fatalFailed: input.fatalFailed, score, fatal, comment: input.comment },
    };
  });
}

const ownScored = (actor: Actor, review: Review) => {
  if (review.operatorId !== actor.userId) throw errors.forbidden();
  if (review.status !== 'scored') throw wrongState('Only a scored review can be accepted or appealed', '只有已评分的质检结果可以确认或申诉');
};

/** The operator accepts their score: the review is locked. */
export function acceptReview(db: Db, seals: Sealing, actor: Actor, id: string): Promise<void> {
  return change(db, seals, actor, id, 'accepted', async (review) => {
    ownScored(actor, review);
    const at = new Date();
    return { set: { status: 'accepted', acceptedAt: at, lockedAt: at }, data: { score: review.score } };
  });
}

/** The operator appeals once, with a reason; the manager decides. */
export function appealReview(db: Db, seals: Sealing, actor: Actor, id: string, reason: string): Promise<void> {
  return change(db, seals, actor, id, 'appealed', async (review) => {
    if (review.appealedAt) throw wrongState('A review can be appealed once', '每条质检结果只能申诉一次');
    ownScored(actor, review);
    return { set: { status: 'appealed', appealReason: reason, appealedAt: new Date() }, data: { reason } };
  });
}

export type Decision = { outcome: 'upheld'; comment: string } | { outcome: 'revised'; comment: string; points: Record<string, number>; fatalFailed: string[] };

/** The manager decides an appeal: the score stands, or is revised on the same form; either way the review is locked. */
export function decideAppeal(db: Db, seals: Sealing, actor: Actor, id: string, decision: Decision): Promise<void> {
  return change(db, seals, actor, id, 'decided', async (review, tx) => {
    if (review.status !== 'appealed') throw wrongState('Only an appealed review can be decided', '只有申诉中的质检结果可以裁决');
    const at = new Date();
    const base = { status: 'decided', decision: decision.outcome, decisionComment: decision.comment, decidedBy: actor.userId, decidedAt: at, lockedAt: at };
    if (decision.outcome === 'upheld') return { set: base, data: { outcome: 'upheld', comment: decision.comment, score: review.score } };
    const form = await formOfCourt(tx, actor.courtId, review.formId!);
    const { score, fatal } = scoreOf(form.items, decision.points, decision.fatalFailed);
    return {
      set: { ...base, points: decision.points, fatalFailed: decision.fatalFailed, score, fatal },
      data: { outcome: 'revised', comment: decision.comment, points: decision.points, fatalFailed: decision.fatalFailed, score, fatal, previousScore: review.score },
    };
  });
}

/** After a review is locked, a manager's correction is a sealed note in its trail; the review itself stays as locked. */
export function amendReview(db: Db, seals: Sealing, actor: Actor, id: string, note: string): Promise<void> {
  return change(db, seals, actor, id, 'amended', async (review) => {
    if (!review.lockedAt) throw wrongState('An open review is changed by scoring it again, not by a note', '未锁定的质检结果请直接重新评分');
    return { set: {}, data: { note } };
  });
}
