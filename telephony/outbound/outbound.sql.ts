import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, smallint, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';
import { attemptResults, legKinds, legOutcomes, outboundModes, outboundPurposes, outboundStatuses } from './types.ts';

export const outboundPurpose = telephonySchema.enum('outbound_purpose', outboundPurposes);
export const outboundMode = telephonySchema.enum('outbound_mode', outboundModes);
export const outboundStatus = telephonySchema.enum('outbound_status', outboundStatuses);
export const attemptResult = telephonySchema.enum('outbound_result', attemptResults);
export const legKind = telephonySchema.enum('outbound_leg', legKinds);
export const legOutcome = telephonySchema.enum('outbound_leg_outcome', legOutcomes);

/**
 * One row per callback request (an operator's click or a survey): written by the API when it is accepted, its
 * status then kept by the controller through the journal (`updated_at` orders those writes).
 */
export const outboundRequests = telephonySchema.table(
  'outbound_requests',
  {
    id: uuid('id').primaryKey(),
    courtId: uuid('court_id').notNull(),
    purpose: outboundPurpose('purpose').notNull(),
    mode: outboundMode('mode').notNull(),
    ticketId: uuid('ticket_id'),
    callId: uuid('call_id'),
    /** A relay the tickets capability filed (its delivery row): that delivery is filed once, however often asked. */
    deliveryId: uuid('delivery_id'),
    number: varchar('number', { length: 64 }).notNull(),
    requestedBy: uuid('requested_by').notNull(),
    endpoint: varchar('endpoint', { length: 64 }),
    requestedAt: timestamp('requested_at', { withTimezone: true, precision: 3 }).notNull(),
    status: outboundStatus('status').notNull(),
    /** Attempts started so far. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    /** How the last attempt ended. */
    result: attemptResult('result'),
    /** The survey's answer (tickets' satisfaction values). */
    satisfaction: varchar('satisfaction', { length: 32 }),
    detail: text('detail'),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    index('outbound_requests_court_requested').on(t.courtId, t.requestedAt),
    index('outbound_requests_ticket').on(t.ticketId),
    index('outbound_requests_call').on(t.callId),
    uniqueIndex('outbound_requests_delivery').on(t.deliveryId).where(sql`${t.deliveryId} is not null`),
    index('outbound_requests_open').on(t.courtId).where(sql`${t.status} in ('scheduled', 'dialling')`),
  ],
);

/** Every leg an outbound attempt dialled (the operator's softphone, the caller), append-only, with its outcome and times. */
export const outboundAttempts = telephonySchema.table(
  'outbound_attempts',
  {
    id: uuid('id').notNull(),
    outboundId: uuid('outbound_id').notNull(),
    courtId: uuid('court_id').notNull(),
    /** 1 for the first attempt, 2 for the first retry, … */
    attempt: smallint('attempt').notNull(),
    leg: legKind('leg').notNull(),
    channelId: varchar('channel_id', { length: 128 }).notNull(),
    operatorId: uuid('operator_id'),
    outcome: legOutcome('outcome').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true, precision: 3 }),
    endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }).notNull(),
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.id, t.startedAt] }), index('outbound_attempts_outbound').on(t.outboundId, t.startedAt), index('outbound_attempts_court_started').on(t.courtId, t.startedAt)],
);
