import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { sessions } from './auth.sql.ts';

export interface AuthenticatedSession {
  actor: Actor;
  /** SHA-256 of the token: the session's key in the database. */
  key: string;
  expiresAt: Date;
}

export interface SessionStoreOptions {
  ttlMinutes: number;
  /** How long a validated session is trusted without asking the database again (other processes see a sign-out that late). */
  cacheMs?: number;
  cacheSize?: number;
}

/**
 * Server-side sessions in PostgreSQL (they survive restarts of the API and of Redis). The cookie holds a
 * random token; only its hash is stored. Validated sessions are cached briefly to keep a request cheap.
 */
export class SessionStore {
  /** Checked sessions by cookie token, each trusted until `until`. */
  private readonly cache = new Map<string, { session: AuthenticatedSession; until: number }>();
  private readonly cacheMs: number;
  private readonly cacheSize: number;

  constructor(
    private readonly db: Db,
    private readonly options: SessionStoreOptions,
  ) {
    this.cacheMs = options.cacheMs ?? 2000;
    this.cacheSize = options.cacheSize ?? 10_000;
  }

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  async create(userId: string, ip: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.options.ttlMinutes * 60_000);
    await this.db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date())));
    await this.db.insert(sessions).values({ tokenHash: SessionStore.keyOf(token), userId, expiresAt, ip: ip.slice(0, 64) });
    return { token, expiresAt };
  }

  /** The session a cookie token names, if it exists, has not expired and its user is active. */
  async authenticate(token: string): Promise<AuthenticatedSession | undefined> {
    if (token.length > 200) return undefined;
    // The hot path of every signed-in request: a cache hit is one Map lookup (keyed by the token itself,
    // which this process holds anyway while it serves the request) and two time comparisons.
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.until > now && cached.session.expiresAt.getTime() > now) return cached.session;
    this.cache.delete(token);
    const key = SessionStore.keyOf(token);
    const [row] = await this.db
      .select({ userId: users.id, role: users.role, courtId: users.courtId, departmentId: users.departmentId, expiresAt: sessions.expiresAt })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, key), gt(sessions.expiresAt, new Date(now)), eq(users.active, true)));
    if (!row) return undefined;
    const session = { actor: { userId: row.userId, role: row.role, courtId: row.courtId, departmentId: row.departmentId }, key, expiresAt: row.expiresAt };
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, { session, until: now + this.cacheMs });
    return session;
  }

  async end(key: string): Promise<void> {
    for (const [token, entry] of this.cache) if (entry.session.key === key) this.cache.delete(token);
    await this.db.delete(sessions).where(eq(sessions.tokenHash, key));
  }

  /** Ends every session of a user (role change, deactivation, new password). Pass `tx` to do it inside a transaction. */
  async endAllFor(userId: string, tx: Pick<Db, 'delete'> = this.db): Promise<void> {
    for (const [token, entry] of this.cache) if (entry.session.actor.userId === userId) this.cache.delete(token);
    await tx.delete(sessions).where(eq(sessions.userId, userId));
  }
}
