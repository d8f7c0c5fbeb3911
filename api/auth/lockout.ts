import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { signInFailures } from './auth.sql.ts';

export interface LockoutPolicy {
  attempts: number;
  minutes: number;
}

/**
 * Locks a username after `attempts` consecutive failed sign-ins, for `minutes`. Counted in PostgreSQL
 * per username (known or not, so a lock reveals nothing), across every API process and restart.
 */
export class Lockout {
  constructor(
    private readonly db: Db,
    private readonly policy: LockoutPolicy,
  ) {}

  /** When the username is locked, the time it unlocks. */
  async lockedUntil(username: string): Promise<Date | undefined> {
    const [row] = await this.db.select({ lockedUntil: signInFailures.lockedUntil }).from(signInFailures).where(eq(signInFailures.username, username));
    return row?.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : undefined;
  }

  /** Counts a failure; returns the unlock time when this failure locks the username. */
  async recordFailure(username: string): Promise<Date | undefined> {
    const { attempts, minutes } = this.policy;
    const [row] = await this.db
      .insert(signInFailures)
      .values({ username, failures: 1 })
      .onConflictDoUpdate({ target: signInFailures.username, set: { failures: sql`${signInFailures.failures} + 1`, lastFailureAt: sql`now()` } })
      .returning({ failures: signInFailures.failures });
    if (!row || row.failures < attempts) return undefined;
    const [locked] = await this.db
      .update(signInFailures)
      .set({ failures: 0, lockedUntil: sql`now() + make_interval(mins => ${minutes})` })
      .where(eq(signInFailures.username, username))
      .returning({ lockedUntil: signInFailures.lockedUntil });
    return locked?.lockedUntil ?? undefined;
  }

  /** After a successful sign-in, or when an admin unlocks the user. */
  async clear(username: string): Promise<void> {
    await this.db.delete(signInFailures).where(eq(signInFailures.username, username));
  }
}
