import type { Db } from '../platform/db/client.ts';
import { sql } from 'drizzle-orm';
import { calendarDays } from './calendar.sql.ts';
import { nationalCalendarDefault } from './calendar-data.ts';
import { categories } from './categories.sql.ts';
import { defaultCategories } from './vocabulary.ts';

/**
 * Puts the shipped categories and the national calendar in place. Categories that exist are left alone, so an
 * admin's edits survive every start. The national calendar is the shipped file's (no route writes it): a release
 * that corrects or adds a year takes effect on its first start; a court's own days are never touched.
 */
export async function seedReferenceData(db: Db): Promise<void> {
  await db
    .insert(categories)
    .values(defaultCategories.map((c, i) => ({ ...c, sortOrder: i })))
    .onConflictDoNothing();
  await db
    .insert(calendarDays)
    .values(nationalCalendarDefault)
    .onConflictDoUpdate({
      target: calendarDays.day,
      set: { kind: sql`excluded.kind`, name: sql`excluded.name`, source: sql`excluded.source`, updatedAt: sql`now()` },
      setWhere: sql`(${calendarDays.kind}, ${calendarDays.name}, ${calendarDays.source}) is distinct from (excluded.kind, excluded.name, excluded.source)`,
    });
}
