import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, lt, lte, ne } from 'drizzle-orm';
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

/** How a session ended: its user signed out, or it expired or was ended by an admin's change. */
export type SessionEndReason = 'signed_out' | 'session_ended';
/** `signed_out`: one session of the user ended (they may have another); `session_ended`: the user has none left. */
export type SessionEndedListener = (userId: string, reason: SessionEndReason) => Promise<void>;

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
  private readonly endedListeners: Array<SessionEndedListener> = [];

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

  /** Called with the user after a session of theirs ends here (sign-out, endAllFor, expiry found by endExpired); awaited by end() and endExpired(). */
  onEnded(listener: SessionEndedListener): void {
    this.endedListeners.push(listener);
  }

  async end(key: string): Promise<void> {
    for (const [token, entry] of this.cache) if (entry.session.key === key) this.cache.delete(token);
    const ended = await this.db.delete(sessions).where(eq(sessions.tokenHash, key)).returning({ userId: sessions.userId });
    for (const { userId } of ended) await this.ended(userId, 'signed_out');
  }

  /** Ends every session of a user (role change, deactivation, new password). Pass `tx` to do it inside a transaction. */
  async endAllFor(userId: string, tx: Pick<Db, 'delete'> = this.db): Promise<void> {
    for (const [token, entry] of this.cache) if (entry.session.actor.userId === userId) this.cache.delete(token);
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    // Not awaited: inside a caller's transaction the listener must not wait on what that transaction holds.
    void this.ended(userId, 'session_ended');
  }

  /** Ends every session of a user but the one with key `keepKey` (the user changed their own password in it). */
  async endOthersFor(userId: string, keepKey: string, tx: Pick<Db, 'delete'> = this.db): Promise<void> {
    for (const [token, entry] of this.cache) if (entry.session.actor.userId === userId && entry.session.key !== keepKey) this.cache.delete(token);
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.tokenHash, keepKey)));
    void this.ended(userId, 'signed_out');
  }

  /** Whether the user has a session that has not expired (e.g. another browser still signed in). */
  async hasLive(userId: string): Promise<boolean> {
    const rows = await this.db.select({ key: sessions.tokenHash }).from(sessions).where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date()))).limit(1);
    return rows.length > 0;
  }

  /**
   * Removes sessions that have expired and tells the listeners of each user left with none (a session expires
   * silently; this is how the rest of the product hears of it). Any process may run it: a row is removed once.
   */
  async endExpired(now = new Date()): Promise<string[]> {
    const expired = await this.db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ userId: sessions.userId, key: sessions.tokenHash });
    const keys = new Set(expired.map((r) => r.key));
    for (const [token, entry] of this.cache) if (keys.has(entry.session.key)) this.cache.delete(token);
    const userIds = [...new Set(expired.map((r) => r.userId))];
    if (userIds.length === 0) return [];
    const stillIn = await this.db
      .selectDistinct({ userId: sessions.userId })
      .from(sessions)
      .where(and(inArray(sessions.userId, userIds), gt(sessions.expiresAt, now)));
    const live = new Set(stillIn.map((r) => r.userId));
    const gone = userIds.filter((id) => !live.has(id));
    for (const userId of gone) await this.ended(userId, 'session_ended');
    return gone;
  }

  /** Listeners handle their own failures (a sign-out is not undone because a listener failed). */
  private async ended(userId: string, reason: SessionEndReason): Promise<void> {
    for (const listener of this.endedListeners) await listener(userId, reason).catch(() => undefined);
  }
}
