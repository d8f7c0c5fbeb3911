/**
 * Why a database read failed, for a log line: drizzle wraps the driver's error ("Failed query: <the SQL>"), so its
 * cause says why (a pool timeout, a refused connection); any other error says it itself.
 */
export function failureReason(err: Error): string {
  return (err.cause as Error | undefined)?.message ?? err.message;
}
