import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, primaryKey, smallint, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { callEventKinds, callOutcomes, hangupParties, transferModes, transferOutcomes } from './calls/types.ts';
import { presenceStates } from './presence/presence-state.ts';

/**
 * Telephony's tables. Calls, call events and presence events are append-only records the KPIs are computed
 * from; each primary key includes its time column so the tables can be partitioned by month later.
 */
export const telephonySchema = pgSchema('telephony');

export const callOutcome = telephonySchema.enum('call_outcome', callOutcomes);
export const hangupParty = telephonySchema.enum('hangup_party', hangupParties);
export const callEventKind = telephonySchema.enum('call_event_kind', callEventKinds);
export const presenceState = telephonySchema.enum('presence_state', presenceStates);

/** One row per call to the hotline (每电必登), written when it arrives and closed with its outcome. */
export const calls = telephonySchema.table(
  'calls',
  {
    id: uuid('id').notNull(),
    courtId: uuid('court_id'),
    channelId: varchar('channel_id', { length: 128 }).notNull(),
    callerNumber: varchar('caller_number', { length: 64 }).notNull(),
    dialled: varchar('dialled', { length: 64 }).notNull(),
    arrivedAt: timestamp('arrived_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Null while the call is in progress. */
    outcome: callOutcome('outcome'),
    hangupBy: hangupParty('hangup_by'),
    endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }),
    /** Whether it arrived in business hours (KPI: offered calls are in-hours calls that asked for a person). */
    inHours: boolean('in_hours'),
    /** Skill asked for: set when the call joined the queue (menu choice or fallback); null = never queued. */
    skill: varchar('skill', { length: 32 }),
    queuedAt: timestamp('queued_at', { withTimezone: true, precision: 3 }),
    answeredAt: timestamp('answered_at', { withTimezone: true, precision: 3 }),
    answeredBy: uuid('answered_by'),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.arrivedAt] }),
    index('calls_court_arrived').on(t.courtId, t.arrivedAt),
    index('calls_caller_arrived').on(t.callerNumber, t.arrivedAt),
    index('calls_open').on(t.arrivedAt).where(sql`${t.outcome} is null`),
  ],
);

/** Every step of a call, append-only, with the time it happened. */
export const callEvents = telephonySchema.table(
  'call_events',
  {
    id: uuid('id').notNull(),
    callId: uuid('call_id').notNull(),
    courtId: uuid('court_id'),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    /** Order within the call (times can tie at millisecond precision). */
    seq: integer('seq').notNull(),
    kind: callEventKind('kind').notNull(),
    operatorId: uuid('operator_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.id, t.at] }), index('call_events_call').on(t.callId, t.seq), index('call_events_court_kind_at').on(t.courtId, t.kind, t.at)],
);

/** Every change of an operator's presence, append-only. */
export const presenceEvents = telephonySchema.table(
  'presence_events',
  {
    id: uuid('id').notNull(),
    operatorId: uuid('operator_id').notNull(),
    courtId: uuid('court_id'),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    state: presenceState('state').notNull(),
    previous: presenceState('previous'),
    reason: text('reason'),
    callId: uuid('call_id'),
  },
  (t) => [primaryKey({ columns: [t.id, t.at] }), index('presence_events_operator_at').on(t.operatorId, t.at)],
);

/** Skills an operator takes calls for; an operator without rows takes every skill. */
export const operatorSkills = telephonySchema.table(
  'operator_skills',
  {
    userId: uuid('user_id').notNull(),
    skill: varchar('skill', { length: 32 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.skill] })],
);

export const transferMode = telephonySchema.enum('transfer_mode', transferModes);
export const transferOutcome = telephonySchema.enum('transfer_outcome', transferOutcomes);

/**
 * Each transfer attempt of a call (转接), a leg with its own outcome and times: written when it starts,
 * then given its answer time, outcome (the first one stands) and end. The KPIs count transfer attempts
 * and transfers connected (outcome answered) from these rows.
 */
export const transferLegs = telephonySchema.table(
  'transfer_legs',
  {
    callId: uuid('call_id').notNull(),
    /** 1, 2, … within the call. */
    seq: smallint('seq').notNull(),
    courtId: uuid('court_id'),
    mode: transferMode('mode').notNull(),
    targetKind: varchar('target_kind', { length: 16 }).notNull(),
    targetUserId: uuid('target_user_id'),
    targetDepartmentId: uuid('target_department_id'),
    targetLabel: text('target_label').notNull(),
    dial: varchar('dial', { length: 128 }).notNull(),
    /** The operator who asked for it; null for a menu transfer. */
    requestedBy: uuid('requested_by'),
    caseNumber: varchar('case_number', { length: 64 }),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true, precision: 3 }),
    endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }),
    outcome: transferOutcome('outcome'),
  },
  (t) => [primaryKey({ columns: [t.callId, t.seq] }), index('transfer_legs_court_started').on(t.courtId, t.startedAt), index('transfer_legs_target').on(t.targetUserId, t.startedAt)],
);

/**
 * The case directory behind menu option 1: which judge (or department) handles a case. Imported by an admin
 * from CSV. `digits` is the case number's digits in order, what a caller can key in on a phone.
 */
export const caseDirectory = telephonySchema.table(
  'case_directory',
  {
    courtId: uuid('court_id').notNull(),
    caseNumber: varchar('case_number', { length: 64 }).notNull(),
    digits: varchar('digits', { length: 32 }).notNull(),
    judgeUserId: uuid('judge_user_id'),
    departmentId: uuid('department_id'),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.courtId, t.caseNumber] }), index('case_directory_digits').on(t.courtId, t.digits)],
);
