import { describe, expect, it } from 'vitest';
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
});
