import { bigint, bigserial, date, index, jsonb, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { kpiSchema, weeklyReports } from './kpi.sql.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** The states of a review meeting's decision (kpi/report-decisions.ts). */
export const decisionStates = ['open', 'done', 'dropped'] as const;
export type DecisionState = (typeof decisionStates)[number];

/**
 * What the weekly review meeting (seed 002 §22) decided about a report: who recorded it and when, what was
 * decided, who owns it and by when, and its state. Typed in by a manager; every change is also kept in
 * `report_decision_changes`, so the row shows the state now and the changes show how it got there.
 */
export const reportDecisions = kpiSchema.table(
  'report_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courtId: uuid('court_id').notNull(),
    reportId: bigint('report_id', { mode: 'number' })
      .notNull()
      .references(() => weeklyReports.id),
    text: text('text').notNull(),
    ownerUserId: uuid('owner_user_id').notNull(),
    dueDate: date('due_date').notNull(),
    state: varchar('state', { length: 16, enum: decisionStates }).notNull().default('open'),
    stateNote: text('state_note'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull(),
    stateChangedBy: uuid('state_changed_by'),
    stateChangedAt: ts('state_changed_at'),
  },
  (t) => [index('report_decisions_court_report').on(t.courtId, t.reportId), index('report_decisions_court_state').on(t.courtId, t.state)],
);

/** Append-only: each decision's recording and every state change, with who and when. */
export const reportDecisionChanges = kpiSchema.table(
  'report_decision_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courtId: uuid('court_id').notNull(),
    decisionId: bigint('decision_id', { mode: 'number' })
      .notNull()
      .references(() => reportDecisions.id),
    action: varchar('action', { length: 16, enum: ['record', 'set_state'] }).notNull(),
    actorId: uuid('actor_id').notNull(),
    at: ts('at').notNull(),
    before: jsonb('before'),
    after: jsonb('after').notNull(),
  },
  (t) => [index('report_decision_changes_decision').on(t.decisionId)],
);
