import { date, primaryKey, smallint, text, time, timestamp, uuid } from 'drizzle-orm/pg-core';
import { courts } from '../platform/courts.sql.ts';
import { calendarDayKindEnum, ticketsSchema } from './schema.sql.ts';

/**
 * The national default every court inherits: exceptions to "Monday to Friday are working days" — public holidays
 * and make-up working days (调休) from the State Council's yearly notice. Written only by the shipped data
 * (calendar-data.ts, seeded at start-up), never over HTTP.
 */
export const calendarDays = ticketsSchema.table('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  kind: calendarDayKindEnum('kind').notNull(),
  name: text('name').notNull(),
  source: text('source').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One court's own days, over the national default for that court only: a local holiday, a day kept open. */
export const courtCalendarDays = ticketsSchema.table(
  'court_calendar_days',
  {
    courtId: uuid('court_id')
      .notNull()
      .references(() => courts.id),
    day: date('day', { mode: 'string' }).notNull(),
    kind: calendarDayKindEnum('kind').notNull(),
    name: text('name').notNull(),
    source: text('source').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.courtId, t.day] })],
);

/**
 * A court's hotline hours per ISO weekday (1 = Monday … 7 = Sunday), China time: part of the court's calendar.
 * A holiday closes the day; a make-up working day (调休) takes Monday's hours.
 */
export const businessHours = ticketsSchema.table(
  'business_hours',
  {
    courtId: uuid('court_id')
      .notNull()
      .references(() => courts.id),
    weekday: smallint('weekday').notNull(),
    opens: time('opens').notNull(),
    closes: time('closes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.courtId, t.weekday, t.opens] })],
);
