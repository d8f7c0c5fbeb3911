/** Mondays (China time, as the server names weeks), newest first: this week and the `count - 1` before it. */
export function recentWeeks(count: number, now = new Date()): string[] {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const monday = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - ((local.getUTCDay() + 6) % 7));
  return Array.from({ length: count }, (_, i) => new Date(monday - i * 7 * 86_400_000).toISOString().slice(0, 10));
}
