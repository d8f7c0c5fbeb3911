/** Capped exponential backoff with jitter: 250 ms, 500 ms, 1 s … up to `capMs`. */
export function backoffDelay(attempt: number, baseMs = 250, capMs = 10_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}
