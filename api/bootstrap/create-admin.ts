import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { courts } from '../../platform/courts.sql.ts';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { credentials } from '../auth/auth.sql.ts';
import { hashPassword, passwordRules } from '../auth/passwords.ts';
import { passwordWeakness } from '../auth/password-policy.ts';
import { isUniqueViolation } from '../admin/unique-violation.ts';

export interface CreateAdminInput {
  courtCode: string;
  courtName: string;
  username: string;
  displayName: string;
  /** When absent, a random one is generated and returned (shown once). */
  password?: string | undefined;
}

export interface CreatedAdmin {
  courtId: string;
  courtCreated: boolean;
  userId: string;
  password: string;
  passwordGenerated: boolean;
}

/** Input the command refuses (bad code or name, weak password, username taken): the caller's to fix. */
export class AdminRefused extends Error {
  override name = 'AdminRefused';
}

/** Creates the court (unless a court with that code exists) and an admin user in it with a password. */
export async function createAdmin(db: Db, audit: AuditLog, input: CreateAdminInput): Promise<CreatedAdmin> {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(input.courtCode)) throw new AdminRefused('--court-code: 1–32 letters, digits, "_" or "-", e.g. J0811');
  if (!/^[A-Za-z0-9._-]{2,64}$/.test(input.username)) throw new AdminRefused('--username: 2–64 letters, digits, ".", "_" or "-"');
  if (!input.courtName.trim() || !input.displayName.trim()) throw new AdminRefused('--court-name and --display-name must not be empty');
  const passwordGenerated = !input.password;
  const password = input.password ?? randomBytes(15).toString('base64url');
  if (password.length < passwordRules.min) throw new AdminRefused(`the password needs at least ${passwordRules.min} characters`);
  const weakness = passwordWeakness(password, { username: input.username, displayName: input.displayName });
  if (weakness) throw new AdminRefused(`the password is refused: ${weakness.en}`);
  const passwordHash = await hashPassword(password);

  return db
    .transaction(async (tx) => {
      const [existing] = await tx.select({ id: courts.id }).from(courts).where(eq(courts.code, input.courtCode));
      const court = existing ?? (await tx.insert(courts).values({ code: input.courtCode, name: input.courtName.trim() }).returning({ id: courts.id }))[0];
      if (!court) throw new Error('the court could not be created');
      const [user] = await tx
        .insert(users)
        .values({ courtId: court.id, username: input.username, displayName: input.displayName.trim(), role: 'admin' })
        .returning({ id: users.id });
      if (!user) throw new Error('the user could not be created');
      await tx.insert(credentials).values({ userId: user.id, passwordHash });
      if (!existing) await audit.record({ action: 'court.created', courtId: court.id, actorUserId: null, targetType: 'court', targetId: court.id, detail: { code: input.courtCode, via: 'cli' } }, tx);
      await audit.record({ action: 'user.created', courtId: court.id, actorUserId: null, targetType: 'user', targetId: user.id, detail: { username: input.username, role: 'admin', via: 'cli' } }, tx);
      return { courtId: court.id, courtCreated: !existing, userId: user.id, password, passwordGenerated };
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw new AdminRefused(`the username "${input.username}" is taken`);
      throw err;
    });
}
