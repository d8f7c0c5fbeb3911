import { timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { courts } from '../../platform/courts.sql.ts';
import { telephonySchema } from '../telephony.sql.ts';

/**
 * Which court a dialled number serves: a call's court is decided by the number it came in on (a deployment may
 * serve several courts, each on its own number or trunk). A change is announced to every controller at once
 * (NOTIFY telephony_courts, by trigger), so a number or court added while the hotline runs serves the next call.
 */
export const hotlineNumbers = telephonySchema.table('hotline_numbers', {
  /** The number as Asterisk's dialplan sees it (the extension), e.g. "12368" or a trunk's DID. */
  number: varchar('number', { length: 64 }).primaryKey(),
  courtId: uuid('court_id')
    .notNull()
    .references(() => courts.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
