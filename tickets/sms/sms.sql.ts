import { bigserial, boolean, index, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { ticketsSchema } from '../schema.sql.ts';

/**
 * Every delivery receipt as it came from the gateway (SMPP deliver_sm or the HTTPS callback), kept even when
 * no delivery carries its message id yet (a receipt can beat the commit of the send): recording the send
 * applies it then.
 */
export const smsReceipts = ticketsSchema.table('sms_receipts', {
  messageId: varchar('message_id', { length: 100 }).primaryKey(),
  /** delivered, or the failure the gateway named (undeliverable, rejected, expired, …). */
  state: varchar('state', { length: 24 }).notNull(),
  delivered: boolean('delivered').notNull(),
  detail: text('detail'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true }),
});

/** SMS settings per court, append-only: the newest row is in force; every change keeps who and when. */
export const smsSettingsChanges = ticketsSchema.table(
  'sms_settings_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courtId: uuid('court_id').notNull(),
    /** Text the caller at hand-off (首问负责): ticket number, handler, deadline. */
    handoffNotice: boolean('handoff_notice').notNull(),
    changedBy: uuid('changed_by').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sms_settings_changes_court').on(t.courtId, t.id)],
);
