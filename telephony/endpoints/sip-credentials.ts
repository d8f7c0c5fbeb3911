import { and, eq, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import { softphoneRoles } from './users-config.ts';
import { sipCredentials } from '../../platform/sip-credentials.sql.ts';
import { newSipPassword, openSipPassword, sealSipPassword } from './sip-password-seal.ts';

/**
 * Endpoint passwords: random per endpoint and sealed in platform.sip_credentials (sip-password-seal.ts), issued
 * the first time an endpoint is needed (the console's softphone settings, `telephony:endpoints`), issued again
 * when the endpoint passes to another user, and rotated by an admin (sip-password.routes.ts).
 */

/**
 * The endpoint's password, issuing one when it has none or when it was issued to another user (an endpoint given
 * to a new operator never keeps the old one's password). `userId` null: a desk phone.
 */
export async function ensureSipPassword(db: Db, secret: string, endpoint: string, userId: string | null): Promise<string> {
  const [row] = await db.select().from(sipCredentials).where(eq(sipCredentials.endpoint, endpoint));
  if (row && row.userId === userId) {
    const opened = tryOpen(secret, endpoint, row.sealed);
    if (opened !== undefined) return opened;
    // Sealed under another secret (HOTLINE_SIP_PASSWORD_SECRET changed) or altered: unusable, so issued afresh.
    return rotateAndReturn(db, secret, endpoint, userId);
  }
  const password = newSipPassword();
  const sealed = sealSipPassword(secret, endpoint, password);
  // Two first requests at once: one row wins and both answer with it.
  const [written] = await db
    .insert(sipCredentials)
    .values({ endpoint, userId, sealed })
    .onConflictDoUpdate({
      target: sipCredentials.endpoint,
      set: { userId, sealed, rotatedAt: sql`now()` },
      where: userId === null ? sql`${sipCredentials.userId} is not null` : or(isNull(sipCredentials.userId), ne(sipCredentials.userId, userId)),
    })
    .returning({ sealed: sipCredentials.sealed });
  if (written) return password;
  const [winner] = await db.select().from(sipCredentials).where(and(eq(sipCredentials.endpoint, endpoint)));
  return openSipPassword(secret, endpoint, winner!.sealed);
}

function tryOpen(secret: string, endpoint: string, sealed: string): string | undefined {
  try {
    return openSipPassword(secret, endpoint, sealed);
  } catch {
    return undefined;
  }
}

async function rotateAndReturn(db: Db, secret: string, endpoint: string, userId: string | null): Promise<string> {
  const password = newSipPassword();
  const sealed = sealSipPassword(secret, endpoint, password);
  await db.insert(sipCredentials).values({ endpoint, userId, sealed }).onConflictDoUpdate({ target: sipCredentials.endpoint, set: { userId, sealed, rotatedAt: sql`now()` } });
  return password;
}

/** A new random password for the endpoint, replacing the old one; the time it took effect in the database. */
export async function rotateSipPassword(db: Pick<Db, 'insert'>, secret: string, endpoint: string, userId: string | null): Promise<Date> {
  const sealed = sealSipPassword(secret, endpoint, newSipPassword());
  const [row] = await db
    .insert(sipCredentials)
    .values({ endpoint, userId, sealed })
    .onConflictDoUpdate({ target: sipCredentials.endpoint, set: { userId, sealed, rotatedAt: sql`now()` } })
    .returning({ rotatedAt: sipCredentials.rotatedAt });
  return row!.rotatedAt;
}

export interface SoftphoneCredentials {
  /** The user's PJSIP endpoint; null when the admin has not given them one yet. */
  endpoint: string | null;
  /** Null when no secret is configured: the softphone asks the operator. */
  password: string | null;
}

/** What a user's browser softphone registers with: their own endpoint and its password, nobody else's. */
export async function softphoneCredentials(db: Db, secret: string | undefined, userId: string): Promise<SoftphoneCredentials> {
  const [row] = await db.select({ endpoint: users.sipEndpoint, role: users.role, active: users.active }).from(users).where(eq(users.id, userId));
  // Heads and managers too: they join live calls from the console (issue 23); judges and admins have none.
  const endpoint = row && (softphoneRoles as readonly string[]).includes(row.role) && row.active ? row.endpoint : null;
  return { endpoint, password: endpoint && secret ? await ensureSipPassword(db, secret, endpoint, userId) : null };
}
