import { describe, expect, it } from 'vitest';
import { isOpenAt, type HolidayRow, type HoursRow } from './calendar.ts';

const court = 'c1';
const hours: HoursRow[] = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { courtId: court, weekday, opens: '08:30:00', closes: '12:00:00' },
  { courtId: court, weekday, opens: '13:30:00', closes: '17:30:00' },
]);
const days: HolidayRow[] = [
  { courtId: court, day: '2026-10-01', working: false },
  { courtId: court, day: '2026-10-10', working: true },
];
// Beijing time is UTC+8.
const beijing = (iso: string) => new Date(`${iso}+08:00`);

describe('business calendar', () => {
  it('is open within a weekday session and closed outside it', () => {
    expect(isOpenAt(hours, days, court, beijing('2026-09-30T08:30:00'))).toBe(true);
    expect(isOpenAt(hours, days, court, beijing('2026-09-30T12:00:00'))).toBe(false);
    expect(isOpenAt(hours, days, court, beijing('2026-09-30T13:29:59'))).toBe(false);
    expect(isOpenAt(hours, days, court, beijing('2026-09-30T17:29:59'))).toBe(true);
    expect(isOpenAt(hours, days, court, beijing('2026-09-30T20:00:00'))).toBe(false);
  });

  it('closes on holidays, opens on make-up working days, and is closed at weekends', () => {
    expect(isOpenAt(hours, days, court, beijing('2026-10-01T10:00:00'))).toBe(false);
    expect(isOpenAt(hours, days, court, beijing('2026-10-10T10:00:00'))).toBe(true); // a Saturday
    expect(isOpenAt(hours, days, court, beijing('2026-10-17T10:00:00'))).toBe(false); // a Saturday
  });

  it('counts a court without configured hours, or an unknown court, as open', () => {
    expect(isOpenAt(hours, days, 'other', beijing('2026-10-17T03:00:00'))).toBe(true);
    expect(isOpenAt(hours, days, null, beijing('2026-10-17T03:00:00'))).toBe(true);
  });
});
