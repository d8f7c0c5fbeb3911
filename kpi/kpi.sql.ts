import { bigint, bigserial, boolean, date, index, integer, jsonb, pgSchema, primaryKey, smallint, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { measureNames } from './measures.ts';

/**
 * The kpi capability's tables. Facts and rollups are caches derived from the append-only call and ticket
 * records and rebuilt from them at will (the reconcile job does); nothing here is typed in. Settings and
 * weekly reports are append-only too.
 */
export const kpiSchema = pgSchema('kpi');

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** One row per call, derived from telephony.calls and the ticket links. */
export const callFacts = kpiSchema.table(
  'call_facts',
  {
    callId: uuid('call_id').primaryKey(),
    courtId: uuid('court_id'),
    arrivedAt: ts('arrived_at').notNull(),
    operatorId: uuid('operator_id'),
    category: varchar('category', { length: 64 }),
    ticketId: uuid('ticket_id'),
    offered: boolean('offered').notNull(),
    answered: boolean('answered').notNull(),
    abandoned: boolean('abandoned').notNull(),
    waitMs: bigint('wait_ms', { mode: 'number' }),
    handleMs: bigint('handle_ms', { mode: 'number' }),
    registered: boolean('registered').notNull(),
    transferAttempts: smallint('transfer_attempts').notNull(),
    transfersConnected: smallint('transfers_connected').notNull(),
  },
  (t) => [index('call_facts_court_arrived').on(t.courtId, t.arrivedAt)],
);

/** One row per ticket, folded from its events in tickets.ticket_events. */
export const ticketFacts = kpiSchema.table(
  'ticket_facts',
  {
    ticketId: uuid('ticket_id').primaryKey(),
    courtId: uuid('court_id').notNull(),
    createdAt: ts('created_at').notNull(),
    /** The deadline in force before the first delivery, or the creation time when there is none. */
    periodAt: ts('period_at').notNull(),
    category: varchar('category', { length: 64 }),
    operatorId: uuid('operator_id'),
    departmentId: uuid('department_id'),
    judgeId: uuid('judge_id'),
    handedOffAt: ts('handed_off_at'),
    dueAt: ts('due_at'),
    deliveredAt: ts('delivered_at'),
    voidedAt: ts('voided_at'),
    onSpot: boolean('on_spot').notNull(),
    inDue: boolean('in_due').notNull(),
    callbackDue: boolean('callback_due').notNull(),
    callbackDone: boolean('callback_done').notNull(),
    satisfaction: varchar('satisfaction', { length: 32 }),
    reopened: integer('reopened').notNull(),
    chases: integer('chases').notNull(),
    byPerson: boolean('by_person').notNull(),
  },
  (t) => [index('ticket_facts_court_period').on(t.courtId, t.periodAt)],
);

/** Which calls each ticket came from (create's callIds and attach_call events). */
export const callTickets = kpiSchema.table(
  'call_tickets',
  {
    callId: varchar('call_id', { length: 128 }).notNull(),
    ticketId: uuid('ticket_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.callId, t.ticketId] }), index('call_tickets_ticket').on(t.ticketId)],
);

const measureColumns = () => Object.fromEntries(measureNames.map((n) => [n, bigint(n, { mode: 'number' }).notNull().default(0)])) as Record<string, ReturnType<typeof bigint>>;

/**
 * Sums of every measure per court and hour (UTC instant; Asia/Shanghai hours are the same instants), grouped
 * by a set of dimensions: `key_set` is a bitmask of the dimensions a row is grouped by (see kpi/key-sets.ts);
 * the dimensions outside it are null. Key set 15 (all four) is the base, built from the facts; the sets with
 * at most one dimension are built from it, for hourly views without a cross-product to add up.
 */
export const rollupHourly = kpiSchema.table(
  'rollup_hourly',
  {
    courtId: uuid('court_id'),
    hour: ts('hour').notNull(),
    keySet: smallint('key_set').notNull().default(15),
    operatorId: uuid('operator_id'),
    departmentId: uuid('department_id'),
    judgeId: uuid('judge_id'),
    category: varchar('category', { length: 64 }),
    ...measureColumns(),
  },
  (t) => [index('rollup_hourly_court_keys_hour').on(t.courtId, t.keySet, t.hour)],
);

/**
 * Sums of every measure per court and China day, grouped by each set of at most two dimensions (key sets as
 * in rollup_hourly), built from the hourly base rows: a whole-day span reads days × the keys it asks for.
 */
export const rollupDaily = kpiSchema.table(
  'rollup_daily',
  {
    courtId: uuid('court_id'),
    day: date('day').notNull(),
    keySet: smallint('key_set').notNull().default(0),
    operatorId: uuid('operator_id'),
    departmentId: uuid('department_id'),
    judgeId: uuid('judge_id'),
    category: varchar('category', { length: 64 }),
    ...measureColumns(),
  },
  (t) => [index('rollup_daily_court_keys_day').on(t.courtId, t.keySet, t.day)],
);

/**
 * The change feed: which raw rows changed since the sync last ran, written by statement-level triggers on
 * telephony.calls and telephony.transfer_legs (every insert, update, delete: `kind` call, `key` the call id)
 * and on tickets.ticket_events (update and delete only — inserts are read past the event id watermark:
 * `kind` ticket, `key` the ticket id). `key` null = a TRUNCATE: every row of that kind. The sync deletes the
 * rows it has read, in the transaction that folds them (kpi/sync.ts).
 */
export const rawChanges = kpiSchema.table('raw_changes', {
  // No key and no index: the sync takes every row at once, so each noted row costs one heap insert.
  kind: varchar('kind', { length: 8 }).notNull(),
  key: uuid('key'),
  at: ts('at').notNull().defaultNow(),
});

/** Where the incremental sync has got to (ticket event id, call arrival time). */
export const syncState = kpiSchema.table('sync_state', {
  name: varchar('name', { length: 64 }).primaryKey(),
  value: bigint('value', { mode: 'number' }).notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/** KPI settings per court, append-only: the newest row is in force; every change keeps who and when. */
export const settingsChanges = kpiSchema.table(
  'settings_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courtId: uuid('court_id').notNull(),
    serviceLevelSeconds: integer('service_level_seconds').notNull(),
    shortAbandonSeconds: integer('short_abandon_seconds').notNull(),
    changedBy: uuid('changed_by').notNull(),
    changedAt: ts('changed_at').notNull(),
  },
  (t) => [index('settings_changes_court').on(t.courtId, t.id)],
);

/** Weekly reports as generated (seed 002 §22), kept as issued. */
export const weeklyReports = kpiSchema.table(
  'weekly_reports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courtId: uuid('court_id').notNull(),
    weekStart: date('week_start').notNull(),
    trigger: varchar('trigger', { length: 16 }).notNull(),
    requestedBy: uuid('requested_by'),
    generatedAt: ts('generated_at').notNull(),
    body: jsonb('body').notNull(),
    note: text('note'),
  },
  (t) => [index('weekly_reports_court_week').on(t.courtId, t.weekStart)],
);

/**
 * Recounts of closed China months from the raw rows, each kept with a digest of the raw rows it read and signed
 * with the seal key (kpi/recount-memo.ts). A memo is used only while the raw rows still give the same digest and
 * its signature holds, so editing it here changes nothing shown: it is a cache the check can trust, not a figure.
 */
export const recountMemos = kpiSchema.table(
  'recount_memos',
  {
    courtId: uuid('court_id').notNull(),
    month: date('month').notNull(),
    /** sha256 of the query's shape (grain, by, filter) and of the recount's SQL text. */
    queryKey: varchar('query_key', { length: 64 }).notNull(),
    digest: varchar('digest', { length: 64 }).notNull(),
    rows: jsonb('rows').notNull(),
    keyId: varchar('key_id', { length: 16 }).notNull(),
    signature: text('signature').notNull(),
    madeAt: ts('made_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.courtId, t.month, t.queryKey] })],
);
