import { describe, expect, it, vi } from 'vitest';
import { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import { nationalCalendarDefault } from '../../tickets/calendar-data.ts';
import { CourtCalendars, isOpenAt, type CourtCalendarSource, type HoursRow } from './calendar.ts';

const court = 'c1';
const hours: HoursRow[] = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { courtId: court, weekday, opens: '08:30:00', closes: '12:00:00' },
  { courtId: court, weekday, opens: '13:30:00', closes: '17:30:00' },
]);
const national = new WorkingCalendar(nationalCalendarDefault);
// Beijing time is UTC+8.
const beijing = (iso: string) => new Date(`${iso}+08:00`);

describe('business hours on the court calendar', () => {
  it('is open within a weekday session and closed outside it', () => {
    expect(isOpenAt(hours, national, beijing('2026-09-30T08:30:00'))).toBe(true);
    expect(isOpenAt(hours, national, beijing('2026-09-30T12:00:00'))).toBe(false);
    expect(isOpenAt(hours, national, beijing('2026-09-30T13:29:59'))).toBe(false);
    expect(isOpenAt(hours, national, beijing('2026-09-30T17:29:59'))).toBe(true);
    expect(isOpenAt(hours, national, beijing('2026-09-30T20:00:00'))).toBe(false);
  });

  it('closes on the national holidays, opens on make-up working days (Monday hours), and is closed at weekends', () => {
    expect(isOpenAt(hours, national, beijing('2026-10-01T10:00:00'))).toBe(false);
    expect(isOpenAt(hours, national, beijing('2026-10-10T10:00:00'))).toBe(true); // a make-up Saturday
    expect(isOpenAt(hours, national, beijing('2026-10-17T10:00:00'))).toBe(false); // a Saturday
  });

  it('counts a court without configured hours as open', () => {
    expect(isOpenAt([], national, beijing('2026-10-17T03:00:00'))).toBe(true);
  });
});

describe('CourtCalendars (the controller’s in-memory copy)', () => {
  const source = (courts: { courtId: string; day: string; kind: 'holiday' | 'workday' }[]): CourtCalendarSource => ({
    calendarSnapshot: async () => ({ national: nationalCalendarDefault, courts, hours: [...hours, ...hours.map((h) => ({ ...h, courtId: 'c2' }))] }),
    onCalendarChange: async () => async () => undefined,
  });

  it('applies a court’s own holiday to that court only, and the national days to every court', async () => {
    const calendars = new CourtCalendars(source([{ courtId: court, day: '2026-03-04', kind: 'holiday' }]), console as never);
    await calendars.start(async () => async () => undefined);
    expect(calendars.isOpen(court, beijing('2026-03-04T10:00:00'))).toBe(false);
    expect(calendars.isOpen('c2', beijing('2026-03-04T10:00:00'))).toBe(true);
    expect(calendars.isOpen('c2', beijing('2026-10-01T10:00:00'))).toBe(false);
    expect(calendars.isOpen(null, beijing('2026-10-01T10:00:00'))).toBe(true);
  });

  it('reloads when told the calendar changed', async () => {
    let courts: { courtId: string; day: string; kind: 'holiday' | 'workday' }[] = [];
    let changed = () => undefined as void;
    const calendars = new CourtCalendars(
      { calendarSnapshot: async () => ({ national: [], courts, hours }), onCalendarChange: async (_listen, onChange) => ((changed = onChange), async () => undefined) },
      console as never,
    );
    await calendars.start(async () => async () => undefined);
    expect(calendars.isOpen(court, beijing('2026-03-04T10:00:00'))).toBe(true);
    courts = [{ courtId: court, day: '2026-03-04', kind: 'holiday' }];
    changed();
    await calendars.reload();
    expect(calendars.isOpen(court, beijing('2026-03-04T10:00:00'))).toBe(false);
  });

  it('tries a failed load again until one succeeds, reporting each failure, and stops trying once stopped', async () => {
    let failures = 2;
    let loads = 0;
    const courts = [{ courtId: court, day: '2026-03-04', kind: 'holiday' as const }];
    const reports: { level: string; msg: string }[] = [];
    const logger = {
      warn: (_o: unknown, msg: string) => reports.push({ level: 'warn', msg }),
      error: (_o: unknown, msg: string) => reports.push({ level: 'error', msg }),
    };
    const calendars = new CourtCalendars(
      {
        calendarSnapshot: async () => {
          loads++;
          if (failures-- > 0) throw new Error('timeout exceeded when trying to connect');
          return { national: [], courts, hours };
        },
        onCalendarChange: async () => async () => undefined,
      },
      logger as never,
      20,
    );
    await calendars.start(async () => async () => undefined);
    // Not loaded yet: the court counts as open on its own holiday, and the log says so as an error.
    expect(calendars.isOpen(court, beijing('2026-03-04T10:00:00'))).toBe(true);
    expect(reports[0]).toEqual({ level: 'error', msg: expect.stringContaining('not loaded') });
    await vi.waitFor(() => expect(calendars.isOpen(court, beijing('2026-03-04T10:00:00'))).toBe(false));
    expect(loads).toBe(3);
    expect(reports.map((r) => r.level)).toEqual(['error', 'error']);

    // A later failure keeps the last calendar and is a warning; after stop() nothing is tried again.
    failures = 1;
    await calendars.reload();
    expect(reports.at(-1)).toEqual({ level: 'warn', msg: expect.stringContaining('keeping the last ones') });
    expect(calendars.isOpen(court, beijing('2026-03-04T10:00:00'))).toBe(false);
    await vi.waitFor(() => expect(loads).toBe(5));
    failures = 1;
    await calendars.stop();
    await calendars.reload();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(loads).toBe(6);
  });
});
