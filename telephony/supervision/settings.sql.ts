import { boolean, timestamp, uuid } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';

/**
 * A court's call settings that its managers choose (off until set): `supervisionNotice` shows the operator's console
 * that a supervisor is listening (监听提示); `recordingNotice` plays 本次通话可能被录音… to every caller before the menu.
 */
export const courtCallSettings = telephonySchema.table('court_call_settings', {
  courtId: uuid('court_id').primaryKey(),
  supervisionNotice: boolean('supervision_notice').notNull().default(false),
  recordingNotice: boolean('recording_notice').notNull().default(false),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
});
