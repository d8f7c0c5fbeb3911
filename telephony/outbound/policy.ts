/** How callers not reached are tried again: how many attempts in all, and the least time between two. */
export interface RetryPolicy {
  attempts: number;
  spacingMs: number;
}

const minuteMs = 60_000;
/** Longest look-ahead for an opening (covers the Spring Festival and National Day weeks). */
const horizonMs = 14 * 24 * 60 * minuteMs;

/**
 * The first moment at or after `from` when the court is open, searched minute by minute (business hours are
 * set to the minute); null when it does not open within 14 days. Pure: the calendar comes in as `isOpen`.
 */
export function firstOpenAt(from: number, isOpen: (at: Date) => boolean): number | null {
  if (isOpen(new Date(from))) return from;
  for (let t = Math.floor(from / minuteMs) * minuteMs + minuteMs; t <= from + horizonMs; t += minuteMs) {
    if (isOpen(new Date(t))) return t;
  }
  return null;
}

/**
 * When the next attempt may start after `attemptsMade` attempts, the last one ending at `endedAt`:
 * `spacingMs` later, moved on to business hours; null when every attempt is used (or the court never opens).
 */
export function nextAttemptAt(policy: RetryPolicy, attemptsMade: number, endedAt: number, isOpen: (at: Date) => boolean): number | null {
  if (attemptsMade >= policy.attempts) return null;
  return firstOpenAt(endedAt + policy.spacingMs, isOpen);
}
