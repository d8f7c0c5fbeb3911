import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { credentials } from '../auth/auth.sql.ts';
import type { Lockout } from '../auth/lockout.ts';
import { hashPassword } from '../auth/passwords.ts';
import { assertPasswordPolicy } from '../auth/password-policy.ts';
import type { SessionStore } from '../auth/session-store.ts';
import { errors } from '../../platform/http/errors.ts';
import { maskPhone } from '../../platform/masking.ts';
import { assertSameCourt } from '../../platform/court-scope.ts';
import type { CreateUser, UpdateUser, UserView } from './users.schemas.ts';
import { assertSipEndpointFree, defaultSipEndpoint, sipEndpointIndex, sipEndpointTaken } from './sip-endpoint-names.ts';
import { confirmSipEndpointRename, reportSipEndpointRenames, unconfirmedSipEndpointRenames, type SipEndpointRename } from './sip-endpoint-renames.ts';
import { uniqueViolationOf } from './unique-violation.ts';

const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  courtId: users.courtId,
  departmentId: users.departmentId,
  sipEndpoint: users.sipEndpoint,
  extension: users.extension,
  active: users.active,
  hasPassword: sql<boolean>`${credentials.userId} is not null`,
  createdAt: users.createdAt,
};

/** Administration of a court's users: every change is audited in the transaction that makes it. */
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly sessions: SessionStore,
    private readonly lockout: Lockout,
    private readonly audit: AuditLog,
  ) {}

  async list(actor: Actor, filter: { role?: string | undefined; departmentId?: string | undefined; active?: 'true' | 'false' | undefined }): Promise<UserView[]> {
    const rows = await this.db
      .select(userColumns)
      .from(users)
      .leftJoin(credentials, eq(credentials.userId, users.id))
      .where(
        and(
          eq(users.courtId, actor.courtId),
          filter.role ? eq(users.role, filter.role as UserView['role']) : undefined,
          filter.departmentId ? eq(users.departmentId, filter.departmentId) : undefined,
          filter.active ? eq(users.active, filter.active === 'true') : undefined,
        ),
      )
      .orderBy(users.username);
    return rows.map((row) => ({ ...row, extension: maskPhone(row.extension) }));
  }

  async get(actor: Actor, userId: string): Promise<UserView> {
    const [row] = await this.db.select(userColumns).from(users).leftJoin(credentials, eq(credentials.userId, users.id)).where(eq(users.id, userId));
    assertSameCourt(actor, row, 'user');
    return row;
  }

  async create(actor: Actor, input: CreateUser, ip: string): Promise<UserView> {
    if (input.departmentId) await this.assertDepartment(actor, input.departmentId);
    assertPasswordPolicy(input.password, input);
    // An operator given no endpoint gets one made from the court and username; an explicit null means none yet.
    const sipEndpoint = input.sipEndpoint === undefined && input.role === 'operator' ? await defaultSipEndpoint(this.db, actor.courtId, input.username) : (input.sipEndpoint ?? null);
    if (sipEndpoint) await assertSipEndpointFree(this.db, sipEndpoint);
    const passwordHash = await hashPassword(input.password);
    const id = await this.db
      .transaction(async (tx) => {
        const [created] = await tx
          .insert(users)
          .values({
            courtId: actor.courtId,
            username: input.username,
            displayName: input.displayName,
            role: input.role,
            departmentId: input.departmentId ?? null,
            sipEndpoint,
            extension: input.extension ?? null,
          })
          .returning({ id: users.id });
        if (!created) throw errors.internal();
        await tx.insert(credentials).values({ userId: created.id, passwordHash });
        await this.audit.record(
          { action: 'user.created', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user', targetId: created.id, detail: { username: input.username, role: input.role, sipEndpoint }, ip },
          tx,
        );
        return created.id;
      })
      .catch((err: unknown) => {
        const violated = uniqueViolationOf(err);
        if (violated === sipEndpointIndex) throw sipEndpointTaken();
        if (violated !== undefined) throw errors.conflict('That username is taken.', '该用户名已被使用。');
        throw err;
      });
    return this.get(actor, id);
  }

  async update(actor: Actor, userId: string, change: UpdateUser, ip: string): Promise<UserView> {
    const before = await this.get(actor, userId);
    if (change.departmentId) await this.assertDepartment(actor, change.departmentId);
    if (userId === actor.userId && ((change.role && change.role !== 'admin') || change.active === false)) {
      throw errors.conflict('You cannot remove your own admin role or deactivate yourself.', '不能撤销自己的管理员角色或停用自己。');
    }
    const roleChanged = change.role !== undefined && change.role !== before.role;
    const activeChanged = change.active !== undefined && change.active !== before.active;
    // Becoming an operator without an endpoint gets the default one, as at creation.
    if (change.role === 'operator' && change.sipEndpoint === undefined && !before.sipEndpoint) change = { ...change, sipEndpoint: await defaultSipEndpoint(this.db, actor.courtId, before.username) };
    if (change.sipEndpoint) await assertSipEndpointFree(this.db, change.sipEndpoint, userId);
    await this.db.transaction(async (tx) => {
      await tx.update(users).set(change).where(and(eq(users.id, userId), eq(users.courtId, actor.courtId)));
      // Any endpoint an admin sets (even the migration's new name) confirms a rename the migration made.
      if (change.sipEndpoint !== undefined) await confirmSipEndpointRename(tx, userId);
      // A permission change takes effect at once: the user signs in again with the new role.
      if (roleChanged || change.active === false || (change.departmentId !== undefined && change.departmentId !== before.departmentId)) {
        await this.sessions.endAllFor(userId, tx);
      }
      const base = { courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user' as const, targetId: userId, ip };
      if (roleChanged) await this.audit.record({ ...base, action: 'user.role_changed', detail: { from: before.role, to: change.role } }, tx);
      if (activeChanged) await this.audit.record({ ...base, action: change.active ? 'user.reactivated' : 'user.deactivated' }, tx);
      const other = Object.keys(change).filter((k) => k !== 'role' && k !== 'active');
      if (other.length > 0) await this.audit.record({ ...base, action: 'user.updated', detail: { fields: other } }, tx);
    }).catch((err: unknown) => {
      throw uniqueViolationOf(err) === sipEndpointIndex ? sipEndpointTaken() : err;
    });
    return this.get(actor, userId);
  }

  async setPassword(actor: Actor, userId: string, password: string, ip: string): Promise<void> {
    const user = await this.get(actor, userId);
    assertPasswordPolicy(password, user);
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      await tx
        .insert(credentials)
        // An admin knows this password: the user must replace it at the next sign-in (api/auth/password-change-gate.ts).
        .values({ userId, passwordHash, mustChange: true })
        .onConflictDoUpdate({ target: credentials.userId, set: { passwordHash, mustChange: true, updatedAt: sql`now()` } });
      await this.sessions.endAllFor(userId, tx);
      await this.audit.record({ action: 'user.password_set', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user', targetId: userId, ip }, tx);
    });
  }

  /** The admin's users the unique-endpoint migration renamed and no admin has confirmed yet. */
  async sipEndpointRenames(actor: Actor): Promise<Omit<SipEndpointRename, 'courtId'>[]> {
    return (await unconfirmedSipEndpointRenames(this.db, actor.courtId)).map(({ courtId: _court, ...rest }) => rest);
  }

  /** The start-up check (sip-endpoint-renames.ts): logs each unconfirmed rename at error. */
  reportSipEndpointRenames(logger: Logger): Promise<number> {
    return reportSipEndpointRenames(this.db, logger);
  }

  async unlock(actor: Actor, userId: string, ip: string): Promise<void> {
    const user = await this.get(actor, userId);
    await this.lockout.clear(user.username);
    await this.audit.record({ action: 'user.unlocked', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'user', targetId: userId, ip });
  }

  private async assertDepartment(actor: Actor, departmentId: string): Promise<void> {
    const [department] = await this.db.select({ courtId: departments.courtId }).from(departments).where(eq(departments.id, departmentId));
    assertSameCourt(actor, department, 'department');
  }
}
