import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { courts } from '../../platform/courts.sql.ts';
import { users } from '../../platform/directory.sql.ts';
import { errors } from '../../platform/http/errors.ts';

/** The unique index on users.sip_endpoint (platform/directory.sql.ts). */
export const sipEndpointIndex = 'users_sip_endpoint';

/** One answer whoever holds the name: it does not say which court or user has it. */
export const sipEndpointTaken = () =>
  errors.conflict(
    'That softphone endpoint is already in use in this deployment; choose another, or leave it out for one made from the court and username.',
    '该软电话分机名已被占用（全系统唯一）；请另选一个，或不填写，由系统按法院代码和用户名生成。',
  );

/** Refuses a name another user already has (the unique index decides a race: the caller maps it to the same 409). */
export async function assertSipEndpointFree(db: Db, endpoint: string, exceptUserId?: string): Promise<void> {
  // `ext-<extension>` names are the desk phones' (telephony/endpoints/dial-target.ts).
  if (/^ext-/i.test(endpoint)) throw errors.conflict('Endpoint names starting with "ext-" belong to desk phones.', '以 "ext-" 开头的分机名保留给座机使用。');
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.sipEndpoint, endpoint), exceptUserId ? ne(users.id, exceptUserId) : undefined))
    .limit(1);
  if (taken) throw sipEndpointTaken();
}

/** Letters, digits, ".", "_" and "-" only: what a PJSIP section name and a SIP user part take without escaping. */
const endpointSafe = (text: string) => text.replace(/[^A-Za-z0-9_.-]/g, '');

/**
 * An operator's default endpoint: `<court code>-<username>` (e.g. "J0811-op1001"), cut to 64 characters, with
 * "-2", "-3"… when a name given by hand already has it. Usernames are unique, so a clash is rare.
 */
export async function defaultSipEndpoint(db: Db, courtId: string, username: string): Promise<string> {
  const [court] = await db.select({ code: courts.code }).from(courts).where(eq(courts.id, courtId));
  const base = `${endpointSafe(court?.code ?? '') || 'court'}-${endpointSafe(username)}`;
  for (let n = 1; n < 100; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = `${base.slice(0, 64 - suffix.length)}${suffix}`;
    const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.sipEndpoint, candidate)).limit(1);
    if (!taken) return candidate;
  }
  throw sipEndpointTaken();
}
