import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';

/**
 * An operator endpoint's SIP password, derived from the deployment's secret (HOTLINE_SIP_PASSWORD_SECRET) so that
 * neither the database nor the console stores one: Asterisk's pjsip auth sections are generated with the same
 * function (users-config.ts), and the console's softphone is given it (`softphoneCredentials`).
 */
export function derivedSipPassword(secret: string, endpoint: string): string {
  return createHmac('sha256', secret).update(`sip-endpoint:${endpoint}`).digest('base64url').slice(0, 24);
}

export interface SoftphoneCredentials {
  /** The user's PJSIP endpoint; null when the admin has not given them one yet. */
  endpoint: string | null;
  /** Null when no secret is configured: the softphone asks the operator. */
  password: string | null;
}

/** What a user's browser softphone registers with: their endpoint and its password. */
export async function softphoneCredentials(db: Db, secret: string | undefined, userId: string): Promise<SoftphoneCredentials> {
  const [row] = await db.select({ endpoint: users.sipEndpoint }).from(users).where(eq(users.id, userId));
  const endpoint = row?.endpoint ?? null;
  return { endpoint, password: endpoint && secret ? derivedSipPassword(secret, endpoint) : null };
}
