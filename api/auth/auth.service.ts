import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/user-roles.ts';
import type { Db } from '../../platform/db/client.ts';
import { courts } from '../../platform/courts.sql.ts';
import { users } from '../../platform/directory.sql.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { HotlineError } from '../../platform/errors.ts';
import { credentials } from './auth.sql.ts';
import type { Lockout } from './lockout.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { SessionStore } from './session-store.ts';

export const badCredentials = () => new HotlineError('bad_credentials', 401, 'Wrong username or password.', '用户名或密码错误。');
export const lockedOut = (until: Date) => {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new HotlineError('locked_out', 423, `Too many failed sign-ins; try again in ${minutes} min or ask an admin to unlock.`, `登录失败次数过多，请 ${minutes} 分钟后再试或联系管理员解锁。`);
};

/** Sign-in and sign-out: checks the password, the lockout and the user's state, opens the session, audits each outcome. */
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionStore,
    private readonly lockout: Lockout,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {}

  async signIn(username: string, password: string, ip: string): Promise<{ token: string; expiresAt: Date; userId: string }> {
    const log = this.logger.child({ username, ip });
    const lockedUntil = await this.lockout.lockedUntil(username);
    const [user] = await this.db
      .select({ id: users.id, courtId: users.courtId, active: users.active, passwordHash: credentials.passwordHash })
      .from(users)
      .leftJoin(credentials, eq(credentials.userId, users.id))
      .where(eq(users.username, username));
    const courtId = user?.courtId ?? null;
    if (lockedUntil) {
      await this.audit.record({ action: 'sign_in.locked', courtId, actorUserId: null, targetType: 'user', targetId: user?.id, detail: { username }, ip });
      log.info('sign-in refused: locked');
      throw lockedOut(lockedUntil);
    }
    // Always verify (against a decoy when there is no hash), so unknown names take as long as wrong passwords.
    const passwordOk = await verifyPassword(user?.passwordHash ?? undefined, password);
    if (!user || !user.active || !passwordOk) {
      const nowLocked = await this.lockout.recordFailure(username);
      const reason = !user ? 'unknown_user' : !user.active ? 'inactive' : 'wrong_password';
      await this.audit.record({ action: nowLocked ? 'sign_in.locked' : 'sign_in.failed', courtId, actorUserId: null, targetType: 'user', targetId: user?.id, detail: { username, reason }, ip });
      log.info({ reason }, 'sign-in failed');
      throw nowLocked ? lockedOut(nowLocked) : badCredentials();
    }
    await this.lockout.clear(username);
    const session = await this.sessions.create(user.id, ip);
    await this.audit.record({ action: 'sign_in.succeeded', courtId, actorUserId: user.id, targetType: 'user', targetId: user.id, ip });
    log.info({ userId: user.id }, 'signed in');
    return { ...session, userId: user.id };
  }

  async signOut(sessionKey: string, actor: { userId: string; courtId: string }, ip: string): Promise<void> {
    await this.sessions.end(sessionKey);
    await this.audit.record({ action: 'sign_out', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user', targetId: actor.userId, ip });
  }

  /** The signed-in user's profile, with the court's name. */
  async profile(userId: string) {
    const [row] = await this.db
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        role: users.role,
        courtId: users.courtId,
        courtName: courts.name,
        departmentId: users.departmentId,
        sipEndpoint: users.sipEndpoint,
        mustChangePassword: sql<boolean>`coalesce(${credentials.mustChange}, false)`,
      })
      .from(users)
      .innerJoin(courts, eq(courts.id, users.courtId))
      .leftJoin(credentials, eq(credentials.userId, users.id))
      .where(eq(users.id, userId));
    if (!row) throw new HotlineError('unauthenticated', 401, 'Please sign in.', '请先登录。');
    return row;
  }

  /**
   * The signed-in user replaces their password (the one an admin set, or their own): the current one must be right
   * (a wrong one counts towards the lockout like a failed sign-in), the new one passes the policy and differs from it.
   * Ends the user's other sessions; this one stays.
   */
  async changePassword(actor: Actor, sessionKey: string, current: string, next: string, ip: string): Promise<void> {
    const [user] = await this.db
      .select({ username: users.username, displayName: users.displayName, passwordHash: credentials.passwordHash })
      .from(users)
      .innerJoin(credentials, eq(credentials.userId, users.id))
      .where(eq(users.id, actor.userId));
    if (!user) throw badCredentials();
    if (!(await verifyPassword(user.passwordHash, current))) {
      const nowLocked = await this.lockout.recordFailure(user.username);
      await this.audit.record({ action: nowLocked ? 'sign_in.locked' : 'sign_in.failed', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user', targetId: actor.userId, detail: { username: user.username, reason: 'wrong_current_password' }, ip });
      if (nowLocked) {
        await this.sessions.endAllFor(actor.userId);
        throw lockedOut(nowLocked);
      }
      throw new HotlineError('wrong_current_password', 403, 'The current password is wrong.', '当前密码不正确。');
    }
    if (current === next) throw new HotlineError('weak_password', 422, 'Choose a password different from the current one.', '新密码不能与当前密码相同。');
    assertPasswordPolicy(next, user);
    const passwordHash = await hashPassword(next);
    await this.db.transaction(async (tx) => {
      await tx.update(credentials).set({ passwordHash, mustChange: false, updatedAt: sql`now()` }).where(eq(credentials.userId, actor.userId));
      await this.sessions.endOthersFor(actor.userId, sessionKey, tx);
      await this.audit.record({ action: 'user.password_changed', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user', targetId: actor.userId, ip }, tx);
    });
    this.logger.info({ userId: actor.userId }, 'password changed by its user');
  }

  /** Whether the user must change an admin-set password before anything else. */
  async mustChangePassword(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ mustChange: credentials.mustChange }).from(credentials).where(eq(credentials.userId, userId));
    return row?.mustChange ?? false;
  }
}
