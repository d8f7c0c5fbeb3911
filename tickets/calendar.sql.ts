import { date, text, timestamp } from 'drizzle-orm/pg-core';
import { calendarDayKindEnum, ticketsSchema } from './schema.sql.ts';

/**
 * Exceptions to "Monday to Friday are working days": public holidays and make-up working days (调休),
 * from the State Council's yearly notice. Admin-editable; the shipped rows cite their source.
 */
export const calendarDays = ticketsSchema.table('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  kind: calendarDayKindEnum('kind').notNull(),
  name: text('name').notNull(),
  source: text('source').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
