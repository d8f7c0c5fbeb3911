import { boolean, integer, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { dayKindEnum, ticketsSchema } from './schema.sql.ts';

/**
 * Ticket categories with their deadline policy (admin-editable). Default: 3 calendar days, as seed 001 counts "3日内"
 * and the Civil Procedure Law counts a period (期间); a category may say working days instead.
 */
export const categories = ticketsSchema.table('categories', {
  code: varchar('code', { length: 64 }).primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  deadlineDays: integer('deadline_days').notNull().default(3),
  dayKind: dayKindEnum('day_kind').notNull().default('calendar'),
  /** Tickets answered on the spot in this category still get a return visit (回访). */
  callbackWhenAnsweredOnSpot: boolean('callback_when_answered_on_spot').notNull().default(false),
  active: boolean('active').notNull().default(true),
  /** Every ticket of this category is confidential (保密, e.g. complaints about court staff; tickets/confidential.ts). */
  confidential: boolean('confidential').notNull().default(false),
  sortOrder: integer('sort_order').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
