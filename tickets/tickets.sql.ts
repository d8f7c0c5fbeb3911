import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { courts } from '../platform/courts.sql.ts';
import { departments, users } from '../platform/directory.sql.ts';
import { categories } from './categories.sql.ts';
import { deliveryChannelEnum, priorityEnum, satisfactionEnum, stageEnum, ticketsSchema } from './schema.sql.ts';

/** The work order (工单). Never deleted: void is a stage, and voided tickets still count. */
export const tickets = ticketsSchema.table(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Readable number: court code, China date, per-court-per-day sequence, e.g. J0811-20261121-0007. */
    number: varchar('number', { length: 64 }).notNull().unique(),
    courtId: uuid('court_id').notNull().references(() => courts.id),
    callerNumber: varchar('caller_number', { length: 32 }),
    callerName: text('caller_name'),
    /** Normalised case number, e.g. （2024）豫0811民初1234号. */
    caseNumber: varchar('case_number', { length: 64 }),
    category: varchar('category', { length: 64 }).notNull().references(() => categories.code),
    summary: text('summary').notNull(),
    details: text('details').notNull().default(''),
    priority: priorityEnum('priority').notNull().default('normal'),
    stage: stageEnum('stage').notNull().default('answer'),
    /** 首问负责: the operator who first took it owns it until the caller is told (null until one does). */
    ownerId: uuid('owner_id').references(() => users.id),
    handlerUserId: uuid('handler_user_id').references(() => users.id),
    handlerDepartmentId: uuid('handler_department_id').references(() => departments.id),
    handedOffAt: timestamp('handed_off_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    deadline: timestamp('deadline', { withTimezone: true }),
    /** Bumped whenever the deadline or the handler changes; timers of older versions are stale. */
    deadlineVersion: integer('deadline_version').notNull().default(0),
    extensionRequestedUntil: timestamp('extension_requested_until', { withTimezone: true }),
    extensionReason: text('extension_reason'),
    chaseLevel: integer('chase_level').notNull().default(0),
    feedbackText: text('feedback_text'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    deliveryChannel: deliveryChannelEnum('delivery_channel'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    answeredOnSpot: boolean('answered_on_spot').notNull().default(false),
    callbackResolved: boolean('callback_resolved'),
    satisfaction: satisfactionEnum('satisfaction'),
    callbackAt: timestamp('callback_at', { withTimezone: true }),
    reopenCount: integer('reopen_count').notNull().default(0),
    voidReason: text('void_reason'),
    /** Marked confidential (保密) by a person; its category's setting makes it so too (confidential.ts). Never unmarked. */
    confidential: boolean('confidential').notNull().default(false),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tickets_court_stage').on(t.courtId, t.stage),
    index('tickets_caller').on(t.callerNumber),
    index('tickets_handler_user').on(t.handlerUserId, t.stage),
    index('tickets_handler_department').on(t.handlerDepartmentId, t.stage),
    index('tickets_deadline').on(t.deadline),
    // The work list (worklist-query.ts): a court's or a department's tickets in deadline, created or updated
    // order, an operator's own, a case number; its free text has a trigram index (migration 0006, pg_trgm).
    index('tickets_court_deadline').on(t.courtId, t.deadline, t.id),
    index('tickets_court_created').on(t.courtId, t.createdAt, t.id),
    index('tickets_court_updated').on(t.courtId, t.updatedAt, t.id),
    index('tickets_department_deadline').on(t.handlerDepartmentId, t.deadline, t.id),
    index('tickets_owner_created').on(t.ownerId, t.createdAt, t.id),
    index('tickets_case_number').on(t.caseNumber),
    // Overdue and due-soon work: only the tickets still open (a small share of a court's history), so "overdue"
    // reads a few thousand entries, not every deadline the court ever had (worklist-query.ts, openTicket).
    index('tickets_open_court_deadline').on(t.courtId, t.deadline, t.id).where(sql`stage not in ('closed', 'void') and delivered_at is null`),
    index('tickets_open_department_deadline').on(t.handlerDepartmentId, t.deadline, t.id).where(sql`stage not in ('closed', 'void') and delivered_at is null`),
  ],
);

/** The calls a ticket came from (telephony's call ids; one ticket may gather several calls). */
export const ticketCalls = ticketsSchema.table(
  'ticket_calls',
  {
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
    callId: varchar('call_id', { length: 128 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.callId] }), index('ticket_calls_call').on(t.callId)],
);

/** Per-court, per-day ticket number sequence; incremented with an upsert, so numbers never collide. */
export const ticketNumberCounters = ticketsSchema.table(
  'ticket_number_counters',
  {
    courtId: uuid('court_id').notNull().references(() => courts.id),
    day: varchar('day', { length: 8 }).notNull(),
    last: bigint('last', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.courtId, t.day] })],
);
