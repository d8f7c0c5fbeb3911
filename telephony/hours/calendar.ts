import { WorkingCalendar, type CalendarDayKind } from '../../platform/calendar/working-calendar.ts';
import type { Listen } from '../../platform/db/notifications.ts';
import { failureReason } from '../../platform/db/failure-reason.ts';
import { SerialReload } from '../../platform/db/serial-reload.ts';
import type { Logger } from '../../platform/logger.ts';

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

/**
 * The port to the court's one calendar, which the tickets capability keeps (its deadlines read it inside their
 * transactions; docs/tickets.md, "One calendar per court"): the whole of it at once, and word when it changes.
 */
export interface CourtCalendarSource {
  calendarSnapshot(): Promise<{
    national: { day: string; kind: CalendarDayKind }[];
    courts: { courtId: string; day: string; kind: CalendarDayKind }[];
    hours: HoursRow[];
  }>;
  onCalendarChange(listen: Listen, onChange: () => void): Promise<() => Promise<void>>;
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
 * Pure decision for one court: a holiday of its calendar (national or its own) closes the day; a make-up working
 * day (调休) opens it with Monday's hours; otherwise the weekday's hours. A court with no hours configured is
 * always open, so a missing setup never turns callers away.
 */
export function isOpenAt(courtHours: readonly HoursRow[], calendar: Pick<WorkingCalendar, 'kindOf'>, at: Date): boolean {
  if (courtHours.length === 0) return true;
  const parts = Object.fromEntries(localParts.formatToParts(at).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  const kind = calendar.kindOf(day);
  if (kind === 'holiday') return false;
  const weekday = kind === 'workday' ? 1 : (weekdays[parts.weekday ?? ''] ?? 0);
  return courtHours.some((h) => h.weekday === weekday && normalise(h.opens) <= time && time < normalise(h.closes));
}

function normalise(t: string): string {
  return t.length === 5 ? `${t}:00` : t;
}

interface Loaded {
  national: WorkingCalendar;
  courts: Map<string, WorkingCalendar>;
  hours: Map<string, HoursRow[]>;
}

/**
 * Every court's calendar and hours, kept in memory and reloaded the moment any changes (NOTIFY court_calendar from
 * the tables' triggers, and after every reconnect of that subscription); when the database is away the last
 * snapshot keeps deciding. A failed load is tried again every `retryMs` until one succeeds: the subscription may stay
 * up while a read fails (a pool timeout), and would not ask again until the next change.
 */
export class CourtCalendars implements BusinessCalendar {
  private loaded: Loaded = { national: new WorkingCalendar([]), courts: new Map(), hours: new Map() };
  private everLoaded = false;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly reloader: SerialReload;

  constructor(
    private readonly source: CourtCalendarSource,
    private readonly logger: Logger,
    retryMs = 1000,
  ) {
    this.reloader = new SerialReload(
      async () => {
        this.loaded = build(await this.source.calendarSnapshot());
        this.everLoaded = true;
      },
      (err) => this.report(err),
      retryMs,
    );
  }

  async start(listen: Listen): Promise<void> {
    await this.reload();
    this.unlisten = await this.source.onCalendarChange(listen, () => void this.reload());
  }

  async stop(): Promise<void> {
    this.reloader.stop();
    await this.unlisten?.();
  }

  /** One load at a time (SerialReload): a change during a load causes one more, so the last change is always seen. */
  reload(): Promise<void> {
    return this.reloader.run();
  }

  private report(caught: Error): void {
    const err = failureReason(caught);
    if (this.everLoaded) this.logger.warn({ err }, 'court calendars not reloaded: keeping the last ones (retrying)');
    else this.logger.error({ err }, 'court calendars not loaded: every court counts as open until they are (retrying)');
  }

  isOpen(courtId: string | null, at: Date): boolean {
    if (!courtId) return true;
    return isOpenAt(this.loaded.hours.get(courtId) ?? [], this.loaded.courts.get(courtId) ?? this.loaded.national, at);
  }
}

function build(snapshot: Awaited<ReturnType<CourtCalendarSource['calendarSnapshot']>>): Loaded {
  const own = new Map<string, { day: string; kind: CalendarDayKind }[]>();
  for (const d of snapshot.courts) own.set(d.courtId, [...(own.get(d.courtId) ?? []), d]);
  const hours = new Map<string, HoursRow[]>();
  for (const h of snapshot.hours) hours.set(h.courtId, [...(hours.get(h.courtId) ?? []), h]);
  const courts = new Map([...own].map(([courtId, days]) => [courtId, new WorkingCalendar([...snapshot.national, ...days])]));
  return { national: new WorkingCalendar(snapshot.national), courts, hours };
}
