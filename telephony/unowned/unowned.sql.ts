import { boolean, date, index, integer, primaryKey, smallint, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';

/**
 * A caller who gave up (in the queue, or in the menu after choosing) claimed by an operator (认领): one row per
 * claim, keyed by the entry's latest try, so two operators claiming the same entry collide on the key and exactly
 * one wins. The claim covers the caller's tries that China day up to `through`; a later try is a new entry.
 */
export const unownedClaims = telephonySchema.table(
  'unowned_claims',
  {
    /** The entry's latest abandoned call when it was claimed. */
    callId: uuid('call_id').primaryKey(),
    courtId: uuid('court_id').notNull(),
    callerNumber: varchar('caller_number', { length: 64 }).notNull(),
    /** The China day (Asia/Shanghai) of the tries. */
    day: date('day').notNull(),
    /** Arrival of the latest try the claim covers. */
    through: timestamp('through', { withTimezone: true, precision: 3 }).notNull(),
    tries: integer('tries').notNull(),
    claimedBy: uuid('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true, precision: 3 }).notNull(),
    /** The ticket made for the claimer (tickets' create command, owned by them); null only while it is being made. */
    ticketId: uuid('ticket_id'),
  },
  (t) => [index('unowned_claims_caller_day').on(t.courtId, t.callerNumber, t.day)],
);

/**
 * A court's automatic callback of callers who gave up (自动回拨), set by its managers or admin: off until enabled;
 * dials only between `opens` and `closes` (China time, HH:MM) and in business hours; at most `attempts` per caller
 * per day, `intervalMinutes` apart; at most `dailyCap` in all per day.
 */
export const autoCallbackSettings = telephonySchema.table('auto_callback_settings', {
  courtId: uuid('court_id').primaryKey(),
  enabled: boolean('enabled').notNull(),
  opens: varchar('opens', { length: 5 }).notNull(),
  closes: varchar('closes', { length: 5 }).notNull(),
  attempts: smallint('attempts').notNull(),
  intervalMinutes: smallint('interval_minutes').notNull(),
  dailyCap: integer('daily_cap').notNull(),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
});

/**
 * Each automatic callback started for a caller who gave up: the outbound request it made (its status, result and
 * every dialled leg are the outbound tables'), for whom, by which operator's softphone.
 */
export const autoCallbacks = telephonySchema.table(
  'auto_callbacks',
  {
    outboundId: uuid('outbound_id').notNull(),
    courtId: uuid('court_id').notNull(),
    callerNumber: varchar('caller_number', { length: 64 }).notNull(),
    day: date('day').notNull(),
    /** The latest abandoned call when the callback started. */
    callId: uuid('call_id').notNull(),
    operatorId: uuid('operator_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.outboundId] }), index('auto_callbacks_court_day').on(t.courtId, t.day, t.callerNumber)],
);
