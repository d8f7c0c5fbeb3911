import { sql } from 'drizzle-orm';
import { foreignKey, index, smallint, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';
import type { HolderRole } from './hold-authority.ts';
import { recordingKind, recordings } from './recordings.sql.ts';

/**
 * A court's recording retention (录音保存期限), set by its admin: recordings whose call arrived more than `days`
 * ago are removed by the daily job. A court without a row keeps the deployment's TELEPHONY_RECORDING_RETENTION_DAYS.
 */
export const recordingRetention = telephonySchema.table('recording_retention', {
  courtId: uuid('court_id').primaryKey(),
  days: smallint('days').notNull(),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
});

/**
 * Legal holds on a recording (录音保全): one row per hold, kept when it is lifted (who, when, why), so the table is
 * the holds' history. A recording with a hold not yet lifted is never removed by retention; at most one such hold
 * per recording (the partial unique index), and only on a recording that exists (the foreign key).
 */
export const recordingHolds = telephonySchema.table(
  'recording_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    callId: uuid('call_id').notNull(),
    kind: recordingKind('kind').notNull(),
    courtId: uuid('court_id').notNull(),
    reason: text('reason').notNull(),
    placedBy: uuid('placed_by').notNull(),
    /** The placer's role when placing it: only as much authority lifts it (hold-authority.ts). */
    placedByRole: varchar('placed_by_role', { length: 16 }).$type<HolderRole>().notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true, precision: 3 }).notNull(),
    liftedBy: uuid('lifted_by'),
    liftedAt: timestamp('lifted_at', { withTimezone: true, precision: 3 }),
    liftReason: text('lift_reason'),
  },
  (t) => [
    foreignKey({ columns: [t.callId, t.kind], foreignColumns: [recordings.callId, recordings.kind], name: 'recording_holds_recording_fk' }),
    uniqueIndex('recording_holds_active').on(t.callId, t.kind).where(sql`${t.liftedAt} is null`),
    index('recording_holds_court_placed').on(t.courtId, t.placedAt),
  ],
);
