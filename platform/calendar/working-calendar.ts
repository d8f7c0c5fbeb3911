/** A day that differs from "Monday to Friday are working days": a public holiday, or a make-up working day (调休). */
export const calendarDayKinds = ['holiday', 'workday'] as const;
export type CalendarDayKind = (typeof calendarDayKinds)[number];

/** Courts work on China Standard Time (UTC+8, no daylight saving): days are counted in it. */
const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The China calendar day (YYYY-MM-DD) an instant falls on. */
export function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The last second of a China calendar day, as an instant. */
export function endOfChinaDay(day: string): Date {
  return new Date(`${day}T23:59:59+08:00`);
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/**
 * Monday to Friday are working days, except the public holidays and make-up working days (调休) the State
 * Council publishes each year and the days a court sets for itself (court-calendar.ts merges them, the
 * court's winning). Pure: built from rows, no I/O. One calendar serves both the hotline's hours and the
 * work-order deadlines.
 */
export class WorkingCalendar {
  private readonly overrides: ReadonlyMap<string, CalendarDayKind>;

  constructor(days: Iterable<{ day: string; kind: CalendarDayKind }>) {
    this.overrides = new Map([...days].map((d) => [d.day, d.kind]));
  }

  /** The day's exception, when it has one. */
  kindOf(day: string): CalendarDayKind | undefined {
    return this.overrides.get(day);
  }

  isWorkingDay(day: string): boolean {
    const override = this.overrides.get(day);
    if (override) return override === 'workday';
    return isoWeekday(day) <= 5;
  }

  /** Years with at least one override; a year without any has no official schedule loaded. */
  coveredYears(): Set<number> {
    return new Set([...this.overrides.keys()].map((d) => Number(d.slice(0, 4))));
  }

  /** The day itself when it is a working day, otherwise the next working day. */
  onOrAfter(day: string): string {
    let d = day;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** The n-th working day after `day` (not counting `day`). */
  addWorkingDays(day: string, n: number): string {
    let d = day;
    for (let counted = 0; counted < n; ) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) counted++;
    }
    return n === 0 ? this.onOrAfter(d) : d;
  }
}
