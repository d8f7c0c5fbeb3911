import { addDays, chinaDay, endOfChinaDay, type WorkingCalendar } from '../platform/calendar/working-calendar.ts';
import type { DayKind } from './vocabulary.ts';

/** A category's deadline policy: so many working or calendar days. */
export interface DeadlinePolicy {
  days: number;
  dayKind: DayKind;
}

/** Seed 001's "3日内" (an answer, execution feedback, a complaint's result): 3 calendar days, as 期间 are counted. */
export const defaultDeadlinePolicy: DeadlinePolicy = { days: 3, dayKind: 'calendar' };

/**
 * When a ticket handed off at `from` is due: the end (23:59:59 China time) of the n-th working day after
 * the hand-off day, or, for calendar days, of the n-th day after it, moved to the next working day when it
 * falls on a rest day (as the Civil Procedure Law counts periods: a period ending on a holiday ends on the
 * first day after it). Pure: same inputs, same answer.
 */
export function computeDeadline(policy: DeadlinePolicy, from: Date, calendar: WorkingCalendar): Date {
  const start = chinaDay(from);
  const lastDay = policy.dayKind === 'working' ? calendar.addWorkingDays(start, policy.days) : calendar.onOrAfter(addDays(start, policy.days));
  return endOfChinaDay(lastDay);
}

/** How long before and after the deadline the chase timers fire. */
export interface ChaseSettings {
  /** The reminder fires this long before the deadline. */
  reminderLeadMs: number;
  /** Level-2 escalation (to the manager) fires this long after the deadline; level 1 fires at it. */
  level2AfterMs: number;
}

export const defaultChaseSettings: ChaseSettings = { reminderLeadMs: 24 * 3600_000, level2AfterMs: 24 * 3600_000 };

export interface PlannedTimer {
  level: 'reminder' | 'escalation1' | 'escalation2';
  fireAt: Date;
}

/** The chase timers for a deadline; a reminder whose time has already passed is not planned. */
export function planChaseTimers(deadline: Date, settings: ChaseSettings, now: Date): PlannedTimer[] {
  const reminderAt = new Date(deadline.getTime() - settings.reminderLeadMs);
  return [
    ...(reminderAt > now ? [{ level: 'reminder' as const, fireAt: reminderAt }] : []),
    { level: 'escalation1', fireAt: deadline },
    { level: 'escalation2', fireAt: new Date(deadline.getTime() + settings.level2AfterMs) },
  ];
}
