import type { Db } from '../platform/db/client.ts';
import { calendarDays } from './calendar.sql.ts';
import { shippedCalendarDays } from './calendar-data.ts';
import { categories } from './categories.sql.ts';
import { defaultCategories } from './vocabulary.ts';

/**
 * Puts the shipped categories (3 working days each) and the cited holiday calendar in place. Rows that exist are
 * left alone, so an admin's edits survive every start.
 */
export async function seedReferenceData(db: Db): Promise<void> {
  await db
    .insert(categories)
    .values(defaultCategories.map((c, i) => ({ ...c, sortOrder: i })))
    .onConflictDoNothing();
  await db.insert(calendarDays).values(shippedCalendarDays).onConflictDoNothing();
}
