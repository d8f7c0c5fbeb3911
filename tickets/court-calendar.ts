import { and, asc, between, eq } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { businessHours, calendarDays as nationalCalendarDays, courtCalendarDays } from './calendar.sql.ts';
import { WorkingCalendar, type CalendarDayKind } from '../platform/calendar/working-calendar.ts';

/** A database or a transaction: deadlines read the calendar inside the transaction that sets them. */
type Reader = Pick<Db, 'select'>;
type Writer = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'transaction'>;

export interface CalendarDayInput {
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: string;
}

/** A day as a court sees it: from the national default, or the court's own (which wins). */
export interface CourtCalendarDay extends CalendarDayInput {
  origin: 'national' | 'court';
  updatedAt: Date;
}

export interface HoursSession {
  weekday: number;
  opens: string;
  closes: string;
}

/** The one calendar of a court: the national default with the court's own days over it. */
export async function loadCourtCalendar(db: Reader, courtId: string): Promise<WorkingCalendar> {
  const [national, own] = await Promise.all([
    db.select({ day: nationalCalendarDays.day, kind: nationalCalendarDays.kind }).from(nationalCalendarDays),
    db.select({ day: courtCalendarDays.day, kind: courtCalendarDays.kind }).from(courtCalendarDays).where(eq(courtCalendarDays.courtId, courtId)),
  ]);
  return new WorkingCalendar([...national, ...own]);
}

/** A year's exceptions for a court, each day once, the court's own replacing the national one. */
export async function listCourtCalendarYear(db: Reader, courtId: string, year: number): Promise<CourtCalendarDay[]> {
  const range = [`${year}-01-01`, `${year}-12-31`] as const;
  const [national, own] = await Promise.all([
    db.select().from(nationalCalendarDays).where(between(nationalCalendarDays.day, ...range)),
    db
      .select()
      .from(courtCalendarDays)
      .where(and(eq(courtCalendarDays.courtId, courtId), between(courtCalendarDays.day, ...range))),
  ]);
  const days = new Map<string, CourtCalendarDay>();
  for (const { day, kind, name, source, updatedAt } of national) days.set(day, { day, kind, name, source, updatedAt, origin: 'national' });
  for (const { day, kind, name, source, updatedAt } of own) days.set(day, { day, kind, name, source, updatedAt, origin: 'court' });
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** Sets one day for one court only; every other court keeps the national default. */
export async function setCourtCalendarDay(db: Writer, courtId: string, input: CalendarDayInput, now: Date): Promise<CourtCalendarDay> {
  const [row] = await db
    .insert(courtCalendarDays)
    .values({ courtId, ...input, updatedAt: now })
    .onConflictDoUpdate({ target: [courtCalendarDays.courtId, courtCalendarDays.day], set: { kind: input.kind, name: input.name, source: input.source, updatedAt: now } })
    .returning();
  const { day, kind, name, source, updatedAt } = row!;
  return { day, kind, name, source, updatedAt, origin: 'court' };
}

/** Drops a court's own day, so the national default applies again; false when the court had none. */
export async function clearCourtCalendarDay(db: Writer, courtId: string, day: string): Promise<boolean> {
  const removed = await db
    .delete(courtCalendarDays)
    .where(and(eq(courtCalendarDays.courtId, courtId), eq(courtCalendarDays.day, day)))
    .returning({ day: courtCalendarDays.day });
  return removed.length > 0;
}

export async function courtBusinessHours(db: Reader, courtId: string): Promise<HoursSession[]> {
  const rows = await db
    .select({ weekday: businessHours.weekday, opens: businessHours.opens, closes: businessHours.closes })
    .from(businessHours)
    .where(eq(businessHours.courtId, courtId))
    .orderBy(asc(businessHours.weekday), asc(businessHours.opens));
  return rows.map((r) => ({ weekday: r.weekday, opens: r.opens.slice(0, 5), closes: r.closes.slice(0, 5) }));
}

/** Replaces a court's whole week of hotline hours in one transaction (an empty week: always open). */
export async function replaceCourtBusinessHours(db: Writer, courtId: string, sessions: HoursSession[]): Promise<HoursSession[]> {
  await db.transaction(async (tx) => {
    await tx.delete(businessHours).where(eq(businessHours.courtId, courtId));
    if (sessions.length > 0) await tx.insert(businessHours).values(sessions.map((s) => ({ courtId, ...s })));
  });
  return courtBusinessHours(db, courtId);
}

/** The NOTIFY channel the calendar tables' triggers send on (migrations/0004_court_calendar.sql). */
export const courtCalendarChannel = 'court_calendar';

export interface CalendarSnapshot {
  /** The national default's days. */
  national: { day: string; kind: CalendarDayKind }[];
  /** Every court's own days. */
  courts: { courtId: string; day: string; kind: CalendarDayKind }[];
  hours: ({ courtId: string } & HoursSession)[];
}

/** Everything at once, for a reader that keeps the calendars in memory (the hotline controller). */
export async function calendarSnapshot(db: Reader): Promise<CalendarSnapshot> {
  const [national, courts, hours] = await Promise.all([
    db.select({ day: nationalCalendarDays.day, kind: nationalCalendarDays.kind }).from(nationalCalendarDays),
    db.select({ courtId: courtCalendarDays.courtId, day: courtCalendarDays.day, kind: courtCalendarDays.kind }).from(courtCalendarDays),
    db.select({ courtId: businessHours.courtId, weekday: businessHours.weekday, opens: businessHours.opens, closes: businessHours.closes }).from(businessHours),
  ]);
  return { national, courts, hours };
}
