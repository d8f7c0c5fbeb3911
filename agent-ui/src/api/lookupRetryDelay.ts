/** The first automatic retry of an unread lookup, and the longest wait between two. */
export const firstRetryMs = 5_000;
export const longestRetryMs = 60_000;

/** How long to wait after the `failures`-th failure in a row before reading again: 5 s, doubling, at most 60 s. */
export function lookupRetryDelay(failures: number): number {
  return Math.min(longestRetryMs, firstRetryMs * 2 ** Math.max(0, failures - 1));
}
