/** The constraint a database error (possibly wrapped by drizzle) violated when it is a unique violation, else undefined. */
export function uniqueViolationOf(err: unknown): string | undefined {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return e.constraint ?? '';
  }
  return undefined;
}

/** True when a database error (possibly wrapped by drizzle) is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  return uniqueViolationOf(err) !== undefined;
}
