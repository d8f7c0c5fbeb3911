import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { businessHours, holidays } from '../telephony.sql.ts';

/** Decides whether a call to a court is in service hours. Synchronous: a call never waits on it. */
export interface BusinessCalendar {
  isOpen(courtId: string | null, at: Date): boolean;
}

export interface HoursRow {
  courtId: string;
  weekday: number;
  opens: string;
  closes: string;
}

export interface HolidayRow {
  courtId: string;
  day: string;
  working: boolean;
}

/** Courts in China keep Beijing time. */
export const courtTimeZone = 'Asia/Shanghai';

const localParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: courtTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});
const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/**
 * Pure decision over a snapshot of the tables: a holiday closes the day; a make-up working day (调休) opens
 * it with Monday's hours; otherwise the weekday's hours. A court with no hours configured is always open,
 * so a missing setup never turns callers away.
 */
export function isOpenAt(hours: HoursRow[], days: HolidayRow[], courtId: string | null, at: Date): boolean {
  if (!courtId) return true;
  const courtHours = hours.filter((h) => h.courtId === courtId);
  if (courtHours.length === 0) return true;
  const parts = Object.fromEntries(localParts.formatToParts(at).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  const special = days.find((d) => d.courtId === courtId && d.day === day);
  if (special && !special.working) return false;
  const weekday = special?.working ? 1 : (weekdays[parts.weekday ?? ''] ?? 0);
  return courtHours.some((h) => h.weekday === weekday && normalise(h.opens) <= time && time < normalise(h.closes));
}

function normalise(t: string): string {
  return t.length === 5 ? `${t}:00` : t;
}

/**
 * The calendar from telephony.business_hours and telephony.holidays, kept in memory and refreshed in the
 * background; when the database is away the last snapshot keeps deciding.
 */
export class TableCalendar implements BusinessCalendar {
  private hours: HoursRow[] = [];
  private days: HolidayRow[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly refreshMs = 60_000,
  ) {}

  async start(): Promise<void> {
    await this.refresh().catch((err: Error) => this.logger.warn({ err: err.message }, 'business hours not loaded: every court counts as open until they are'));
    this.timer = setInterval(() => void this.refresh().catch((err: Error) => this.logger.warn({ err: err.message }, 'business hours refresh failed: keeping the last ones')), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const [hours, days] = await Promise.all([
      this.db.select().from(businessHours),
      this.db.select({ courtId: holidays.courtId, day: holidays.day, working: holidays.working }).from(holidays),
    ]);
    this.hours = hours;
    this.days = days;
  }

  isOpen(courtId: string | null, at: Date): boolean {
    return isOpenAt(this.hours, this.days, courtId, at);
  }
}
