import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import type { Logger } from '../../platform/logger.ts';
import { credentials } from '../auth/auth.sql.ts';

export const createAdminHint =
  'npm run admin:create -- --court-code <code> --court-name <name> --username <admin> --display-name <name>  (prints a generated password, or reads HOTLINE_ADMIN_PASSWORD)';

/** On a database with no admin who can sign in, says how to create the first one (no default password is shipped). */
export async function warnWhenNoAdmin(db: Db, logger: Logger): Promise<boolean> {
  const [admin] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(credentials, eq(credentials.userId, users.id))
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .limit(1);
  if (admin) return false;
  logger.warn({ fix: createAdminHint }, 'no admin can sign in yet: create the first court and admin with the command in "fix"');
  return true;
}
