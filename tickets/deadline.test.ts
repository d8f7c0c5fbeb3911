import { describe, expect, it } from 'vitest';
import { WorkingCalendar, chinaDay } from '../platform/calendar/working-calendar.ts';
import { nationalCalendarDefault } from './calendar-data.ts';
import { computeDeadline, defaultDeadlinePolicy, planChaseTimers, type DeadlinePolicy } from './deadline.ts';

const calendar = new WorkingCalendar(nationalCalendarDefault);
/** A fake clock reading: an instant given in China time. */
const at = (chinaTime: string) => new Date(`${chinaTime}+08:00`);
const due = (policy: DeadlinePolicy, from: string) => computeDeadline(policy, at(from), calendar).toISOString();
const endOf = (day: string) => at(`${day}T23:59:59`).toISOString();
const working = (days: number): DeadlinePolicy => ({ days, dayKind: 'working' });
const calendarDays = (days: number): DeadlinePolicy => ({ days, dayKind: 'calendar' });

describe('working-day calendar', () => {
  it.each([
    ['2026-03-02', true, 'an ordinary Monday'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2026-02-16', false, 'Spring Festival on a Monday'],
    ['2026-02-14', true, 'make-up working Saturday (调休)'],
    ['2026-02-28', true, 'make-up working Saturday after Spring Festival'],
    ['2026-01-04', true, 'make-up working Sunday after New Year'],
    ['2026-10-07', false, 'National Day week, Wednesday'],
    ['2025-01-01', false, 'New Year 2025 on a Wednesday'],
    ['2025-04-27', true, 'make-up working Sunday before Labour Day 2025'],
    ['2025-10-08', false, 'National Day and Mid-Autumn 2025'],
  ])('%s is a working day: %s (%s)', (day, expected) => {
    expect(calendar.isWorkingDay(day)).toBe(expected);
  });

  it('ships 2025 to 2027 (2027: the statutory holidays only, until the State Council’s notice is added)', () => {
    expect([...calendar.coveredYears()].sort()).toEqual([2025, 2026, 2027]);
    const days2027 = nationalCalendarDefault.filter((d) => d.day.startsWith('2027-'));
    expect(days2027.map((d) => d.day)).toEqual([
      ...['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-04-05', '2027-05-01'],
      ...['2027-05-02', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03'],
    ]);
    expect(days2027.every((d) => d.kind === 'holiday' && d.source.includes('未收录'))).toBe(true);
  });

  it('counts China days, not UTC days', () => {
    expect(chinaDay(new Date('2026-03-02T16:30:00Z'))).toBe('2026-03-03');
    expect(chinaDay(new Date('2026-03-02T15:59:59Z'))).toBe('2026-03-02');
  });
});

describe('computeDeadline (fake clock)', () => {
  it.each([
    ['default 3 working days from a Monday', working(3), '2026-03-02T10:00:00', '2026-03-05'],
    ['across a weekend', working(3), '2026-03-05T09:00:00', '2026-03-10'],
    ['handed off on a Saturday', working(3), '2026-03-07T11:00:00', '2026-03-11'],
    ['across Spring Festival with make-up Saturdays', working(3), '2026-02-13T15:00:00', '2026-02-25'],
    ['from a make-up working Saturday', working(3), '2026-02-28T10:00:00', '2026-03-04'],
    ['a make-up Sunday counts', working(3), '2026-09-18T10:00:00', '2026-09-22'],
    ['across Mid-Autumn', working(3), '2026-09-24T10:00:00', '2026-09-30'],
    ['across National Day week', working(1), '2026-09-30T16:00:00', '2026-10-08'],
    ['make-up Saturday after National Day', working(1), '2026-10-09T16:00:00', '2026-10-10'],
    ['into New Year 2025', working(1), '2024-12-31T10:00:00', '2025-01-02'],
    ['make-up Sunday 2025-09-28', working(2), '2025-09-26T10:00:00', '2025-09-29'],
    ['just before China midnight counts the same day', working(3), '2026-03-02T23:30:00', '2026-03-05'],
    ['just after China midnight counts the next day', working(3), '2026-03-03T00:30:00', '2026-03-06'],
    ['3 calendar days on weekdays', calendarDays(3), '2026-03-02T10:00:00', '2026-03-05'],
    ['calendar days ending on a Saturday move to Monday', calendarDays(3), '2026-03-04T10:00:00', '2026-03-09'],
    ['calendar days ending in a holiday move past it', calendarDays(3), '2026-09-30T10:00:00', '2026-10-08'],
    ['calendar days ending on a make-up Sunday stay', calendarDays(3), '2026-09-17T10:00:00', '2026-09-20'],
    ['15 calendar days', calendarDays(15), '2026-03-02T10:00:00', '2026-03-17'],
  ])('%s', (_name, policy, from, lastDay) => {
    expect(due(policy, from)).toBe(endOf(lastDay));
  });

  it('a period whose last day is a holiday ends on the next working day (民事诉讼法 期间); a make-up working day ends it', () => {
    // 3 calendar days from Thursday 2026-09-24 end on Sunday 09-27, the last day of Mid-Autumn: the period runs to Monday.
    expect(due(calendarDays(3), '2026-09-24T10:00:00')).toBe(endOf('2026-09-28'));
    // From 2026-10-07 (the last day of National Day) 3 days end on Saturday 10-10, a make-up working day: it stands.
    expect(due(calendarDays(3), '2026-10-07T10:00:00')).toBe(endOf('2026-10-10'));
  });

  it('seed 001’s "3日内" is 3 calendar days by default, not 3 working days', () => {
    expect(defaultDeadlinePolicy).toEqual({ days: 3, dayKind: 'calendar' });
    // Handed off on a Friday: due Monday (calendar days ending on a Sunday move to Monday), not Wednesday.
    expect(due(defaultDeadlinePolicy, '2026-03-06T10:00:00')).toBe(endOf('2026-03-09'));
  });

  it('is pure: the same inputs give the same deadline', () => {
    expect(due(working(3), '2026-02-13T15:00:00')).toBe(due(working(3), '2026-02-13T15:00:00'));
  });

  it('an admin-added holiday moves deadlines', () => {
    const withLocalHoliday = new WorkingCalendar([...nationalCalendarDefault, { day: '2026-03-04', kind: 'holiday' }]);
    expect(computeDeadline(working(3), at('2026-03-02T10:00:00'), withLocalHoliday).toISOString()).toBe(endOf('2026-03-06'));
  });
});

describe('planChaseTimers', () => {
  const deadline = at('2026-03-05T23:59:59');
  const settings = { reminderLeadMs: 24 * 3600_000, level2AfterMs: 24 * 3600_000 };
  it('plans a reminder before, level 1 at, level 2 after the deadline', () => {
    expect(planChaseTimers(deadline, settings, at('2026-03-02T10:00:00'))).toEqual([
      { level: 'reminder', fireAt: at('2026-03-04T23:59:59') },
      { level: 'escalation1', fireAt: deadline },
      { level: 'escalation2', fireAt: at('2026-03-06T23:59:59') },
    ]);
  });
  it('skips a reminder whose time has passed', () => {
    expect(planChaseTimers(deadline, settings, at('2026-03-05T10:00:00')).map((t) => t.level)).toEqual(['escalation1', 'escalation2']);
  });
});
