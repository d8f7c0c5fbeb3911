import { bigint, index, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';
import { recordingKinds } from './names.ts';

export const recordingKind = telephonySchema.enum('recording_kind', recordingKinds);
export const recordingStatuses = ['stored', 'missing', 'removed'] as const;
export type RecordingStatus = (typeof recordingStatuses)[number];
export const recordingStatus = telephonySchema.enum('recording_status', recordingStatuses);

/**
 * A call's recordings, one row per call and kind, linked to the call row by its id: written when the file has
 * been fetched from Asterisk. The row stays when retention removes the file (status `removed`): the call's
 * record is never deleted. `missing`: Asterisk had no recording for a call that should have one.
 */
export const recordings = telephonySchema.table(
  'recordings',
  {
    callId: uuid('call_id').notNull(),
    kind: recordingKind('kind').notNull(),
    courtId: uuid('court_id'),
    /** The call's arrival (the calls row's key with call_id); retention counts from it. */
    callArrivedAt: timestamp('call_arrived_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Asterisk's recording name, e.g. call-<callId>. */
    name: varchar('name', { length: 128 }).notNull(),
    status: recordingStatus('status').notNull(),
    /** Relative to TELEPHONY_RECORDINGS_DIR: <yyyy>/<mm>/<callId>.wav. */
    path: text('path'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    storedAt: timestamp('stored_at', { withTimezone: true, precision: 3 }).notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [primaryKey({ columns: [t.callId, t.kind] }), index('recordings_stored_arrived').on(t.status, t.callArrivedAt)],
);
