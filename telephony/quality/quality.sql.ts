import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, jsonb, numeric, smallint, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';

/** One item of a scoring form: `weight` points (0 for a fatal item, which is passed or failed). */
export interface FormItem {
  key: string;
  label: string;
  weight: number;
  fatal: boolean;
}

/**
 * Scoring forms (质检评分表), a court's manager's. A version is never edited: a change is a new row with the same
 * `family_id` and the next `version`; reviews keep the version they were scored with.
 */
export const qualityForms = telephonySchema.table(
  'quality_forms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courtId: uuid('court_id').notNull(),
    familyId: uuid('family_id').notNull(),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    items: jsonb('items').$type<FormItem[]>().notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Set when a newer version replaces it or the manager retires the form: no new review uses it. */
    retiredAt: timestamp('retired_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [uniqueIndex('quality_forms_family_version').on(t.familyId, t.version), index('quality_forms_court').on(t.courtId)],
);

/** A court's sampling settings: the share of each operator's answered calls drawn at random, and the seed. */
export const qualitySettings = telephonySchema.table('quality_settings', {
  courtId: uuid('court_id').primaryKey(),
  /** Per cent of each operator's answered calls of the week (0–100). */
  sharePercent: smallint('share_percent').notNull(),
  seed: varchar('seed', { length: 64 }).notNull(),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
});

/** A week's draw for a court: the share and seed it used, so a later draw of that week draws the same calls. */
export const qualityDraws = telephonySchema.table(
  'quality_draws',
  {
    courtId: uuid('court_id').notNull(),
    /** The Monday (China time) the week starts. */
    week: date('week', { mode: 'string' }).notNull(),
    sharePercent: smallint('share_percent').notNull(),
    seed: varchar('seed', { length: 64 }).notNull(),
    firstDrawnAt: timestamp('first_drawn_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Null: the weekly job. */
    firstDrawnBy: uuid('first_drawn_by'),
  },
  (t) => [uniqueIndex('quality_draws_court_week').on(t.courtId, t.week)],
);

/**
 * One sampled call and its review (质检), one row per call. Status: sampled → scored → accepted | appealed →
 * decided. Accepted and decided reviews are locked (`locked_at`): the row never changes again, any later note is
 * a sealed event in `quality_events`.
 */
export const qualityReviews = telephonySchema.table(
  'quality_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courtId: uuid('court_id').notNull(),
    callId: uuid('call_id').notNull(),
    callArrivedAt: timestamp('call_arrived_at', { withTimezone: true, precision: 3 }).notNull(),
    operatorId: uuid('operator_id').notNull(),
    week: date('week', { mode: 'string' }).notNull(),
    /** Why it was drawn: random, complaint, unsatisfied (one or more). */
    reasons: text('reasons').array().notNull(),
    status: varchar('status', { length: 16 }).notNull().default('sampled'),
    formId: uuid('form_id'),
    reviewerId: uuid('reviewer_id'),
    /** Points per normal item's key, and the fatal items' keys failed. */
    points: jsonb('points').$type<Record<string, number>>(),
    fatalFailed: text('fatal_failed').array(),
    /** 0–100, one decimal; 0 when a fatal item failed. */
    score: numeric('score', { precision: 5, scale: 1, mode: 'number' }),
    fatal: boolean('fatal'),
    comment: text('comment'),
    scoredAt: timestamp('scored_at', { withTimezone: true, precision: 3 }),
    appealReason: text('appeal_reason'),
    appealedAt: timestamp('appealed_at', { withTimezone: true, precision: 3 }),
    decision: varchar('decision', { length: 16 }),
    decisionComment: text('decision_comment'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, precision: 3 }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, precision: 3 }),
    lockedAt: timestamp('locked_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('quality_reviews_call').on(t.callId),
    index('quality_reviews_court_week').on(t.courtId, t.week),
    index('quality_reviews_operator').on(t.operatorId, t.week),
    index('quality_reviews_open').on(t.courtId).where(sql`${t.lockedAt} is null`),
  ],
);

/**
 * Every change of a review (scored, appealed, accepted, decided, amended), append-only, chained per court and
 * sealed with the deployment's seal key like the ticket trail (quality/trail.ts).
 */
export const qualityEvents = telephonySchema.table(
  'quality_events',
  {
    courtId: uuid('court_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    reviewId: uuid('review_id').notNull(),
    kind: varchar('kind', { length: 16 }).notNull(),
    actorId: uuid('actor_id').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prev: varchar('prev', { length: 64 }).notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
    seal: text('seal').notNull(),
  },
  (t) => [uniqueIndex('quality_events_court_seq').on(t.courtId, t.seq), index('quality_events_review').on(t.reviewId, t.seq)],
);
