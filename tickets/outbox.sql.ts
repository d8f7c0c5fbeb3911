import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { ticketsSchema } from './schema.sql.ts';
import type { TimerLevel, TimerStatus } from './vocabulary.ts';
import { tickets } from './tickets.sql.ts';

/**
 * Jobs to put on (or take off) BullMQ, written in the same transaction as the change that causes them.
 * The relay moves them to Redis with their deterministic job ids and marks them relayed.
 */
export const outbox = ticketsSchema.table(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queue: varchar('queue', { length: 64 }).notNull(),
    /** add: enqueue the job; remove: take a no longer wanted (delayed) job off its queue. */
    action: varchar('action', { length: 16 }).notNull(),
    jobName: varchar('job_name', { length: 64 }).notNull(),
    jobId: varchar('job_id', { length: 200 }).notNull(),
    data: jsonb('data').notNull(),
    /** When the job should run; null for now. */
    runAt: timestamp('run_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    relayedAt: timestamp('relayed_at', { withTimezone: true }),
  },
  (t) => [index('outbox_pending').on(t.id).where(sql`relayed_at is null`)],
);

/** Deadline timers in PostgreSQL, so every pending one can be rebuilt in Redis after it is lost. */
export const slaTimers = ticketsSchema.table(
  'sla_timers',
  {
    /** The BullMQ job id: sla-<ticket>-v<deadlineVersion>-<level>. */
    jobId: varchar('job_id', { length: 200 }).primaryKey(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
    level: varchar('level', { length: 16 }).$type<TimerLevel>().notNull(),
    fireAt: timestamp('fire_at', { withTimezone: true }).notNull(),
    status: varchar('status', { length: 16 }).$type<TimerStatus>().notNull().default('pending'),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [index('sla_timers_ticket').on(t.ticketId), index('sla_timers_pending').on(t.fireAt).where(sql`status = 'pending'`)],
);

/** Jobs whose change has been applied: a job that runs again (worker killed after commit) finds its row and does nothing. */
export const appliedJobs = ticketsSchema.table('applied_jobs', {
  jobId: varchar('job_id', { length: 200 }).primaryKey(),
  queue: varchar('queue', { length: 64 }).notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  result: text('result'),
});

/**
 * Messages to the caller: feedback relays (phone via telephony's callback, or SMS) and hand-off notices (SMS),
 * and their outcome. An SMS row is claimed ('sending') before the gateway is asked, and keeps the gateway's
 * message id once accepted, so a restart never sends it twice and a receipt finds its row. A phone row keeps
 * the evidence that settled it: the relay call (telephony's outbound request) or the answered call named by hand.
 */
export const deliveries = ticketsSchema.table(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
    /** feedback: the handler's reply (counts for 办理率 once delivered); handoff_notice: the caller told who handles it. */
    purpose: varchar('purpose', { length: 24 }).$type<DeliveryPurpose>().notNull().default('feedback'),
    channel: varchar('channel', { length: 16 }).notNull(),
    /** requested → sending (SMS handed to the gateway) → sent (accepted; call placed) → delivered (receipt says so), or failed. */
    status: varchar('status', { length: 16 }).$type<DeliveryStatus>().notNull(),
    detail: text('detail'),
    /** The gateway's message id of an accepted SMS: its delivery receipt names it. */
    gatewayMessageId: varchar('gateway_message_id', { length: 100 }),
    /** Times the SMS was handed to the gateway (more than one only with a gateway that drops duplicates by key). */
    sendAttempts: integer('send_attempts').notNull().default(0),
    /** Phone: the outbound request (telephony's callback) that carries the relay; its recorded result settles the row. */
    outboundId: uuid('outbound_id'),
    /** Phone, recorded by hand: the answered inbound call (telephony.calls) in which the caller was told. */
    callId: uuid('call_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** When the receipt (or the receipt timeout) settled it. */
    settledAt: timestamp('settled_at', { withTimezone: true }),
    actorId: uuid('actor_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('deliveries_ticket').on(t.ticketId),
    uniqueIndex('deliveries_gateway_message').on(t.channel, t.gatewayMessageId).where(sql`gateway_message_id is not null`),
    // One delivery per relay call: a result reported twice finds the row it settled.
    uniqueIndex('deliveries_outbound').on(t.outboundId).where(sql`outbound_id is not null`),
  ],
);

export type DeliveryPurpose = 'feedback' | 'handoff_notice';
export type DeliveryStatus = 'requested' | 'sending' | 'sent' | 'delivered' | 'failed';
