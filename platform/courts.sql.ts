import { pgSchema, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** Tables shared by every capability live in the `platform` schema. */
export const platformSchema = pgSchema('platform');

/** A court served by this deployment; every user, call and ticket belongs to one (several may share a deployment). */
export const courts = platformSchema.table('courts', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Short code used in ticket numbers, e.g. "J0811". */
  code: varchar('code', { length: 32 }).notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
