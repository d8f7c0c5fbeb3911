/** Weeks run Monday to Sunday in China time (UTC+8, no daylight saving), named by their Monday: 2026-11-30. */
const chinaMs = 8 * 3600_000;

export function weekOf(at: Date): string {
  const local = new Date(at.getTime() + chinaMs);
  const back = (local.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - back)).toISOString().slice(0, 10);
}

/** The instants a week spans: [start, end). */
export function weekSpan(week: string): { start: Date; end: Date } {
  const start = new Date(Date.parse(`${week}T00:00:00Z`) - chinaMs);
  return { start, end: new Date(start.getTime() + 7 * 86_400_000) };
}

export function isMonday(week: string): boolean {
  return new Date(`${week}T00:00:00Z`).getUTCDay() === 1;
}

/** The week before the one `now` is in: what the weekly job draws. */
export function lastWeek(now: Date): string {
  return weekOf(new Date(weekSpan(weekOf(now)).start.getTime() - 1));
}

/** `week` and the `count - 1` weeks before it, newest first. */
export function weeksBack(week: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => weekOf(new Date(weekSpan(week).start.getTime() - i * 7 * 86_400_000)));
}
