import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { AsteriskUnreachable, reloadAsterisk, type AriAccess } from './asterisk-rest.ts';
import { sipEndpointsApplied } from './applied.sql.ts';
import { deskEndpoint, isDeskExtension } from './dial-target.ts';
import { ensureSipPassword } from './sip-credentials.ts';
import { renderUsersConfig, type UsersConfig } from './users-config.ts';
import { readEndpointUsers } from './users-source.ts';
import { writeUsersConfig } from './write-config.ts';

/**
 * - `reloaded`: files written and Asterisk re-read them;
 * - `not_reloaded`: files written, reload not asked (the command without --reload);
 * - `asterisk_unreachable`: files written, Asterisk did not answer: they apply at its next reload or start;
 * - `reload_refused`: files written, Asterisk answered but refused (credentials, module not running): not applied.
 */
export type ApplyOutcome = 'reloaded' | 'not_reloaded' | 'asterisk_unreachable' | 'reload_refused';

export interface ApplyResult {
  outcome: ApplyOutcome;
  files: string[];
  operators: number;
  desks: number;
  /** Asterisk's refusal or why it could not be reached. */
  error: string | null;
  /** Desk phone endpoint → its password, for the command's --passwords; never sent to a browser. */
  deskPasswords: Map<string, { password: string; owner: string }>;
}

/** A key of its own for pg_advisory_xact_lock: one write of the deployment's files at a time, across processes. */
const applyLock = sql`select pg_advisory_xact_lock(hashtext('hotline:telephony:sip-endpoints-apply'))`;

/**
 * Writes the whole deployment's endpoint files from the users table (every court's: Asterisk has one set) and, when
 * `ari` is given, reloads Asterisk. Passwords still missing are issued and committed first, in their own transaction:
 * a file never holds a password the database rolled back. Then the files are written and Asterisk reloaded under an
 * advisory lock held in a transaction that writes nothing (two admins applying at once are serialised; the second
 * writes what the database holds after the first). Should a password go missing in between (a user added that
 * moment), that transaction is given up before any file is touched and the round starts again. Waits at most
 * `lockWaitMs` for the lock (then throws).
 */
export async function applyEndpoints(db: Db, o: { secret: string; dir: string; ari: AriAccess | null; lockWaitMs?: number }): Promise<ApplyResult> {
  const lockTimeout = sql.raw(`set local lock_timeout = '${Math.max(1, Math.round((o.lockWaitMs ?? 60_000) / 1000))}s'`);
  for (let round = 1; ; round++) {
    await db.transaction(async (tx) => {
      await tx.execute(lockTimeout);
      await tx.execute(applyLock);
      await buildUsersConfig(tx, o.secret);
    });
    try {
      return await db.transaction(async (tx) => {
        await tx.execute(lockTimeout);
        await tx.execute(applyLock);
        const { rendered, deskPasswords } = await buildUsersConfig(tx, o.secret);
        // Any row written here (a password issued since the first transaction) would land in the files before commit.
        const { rows } = await tx.execute<{ xid: string | null }>(sql`select pg_current_xact_id_if_assigned()::text as xid`);
        if (rows[0]?.xid) throw new PasswordsChanged();
        const files = writeUsersConfig(o.dir, rendered);
        const base = { files, operators: rendered.operators, desks: rendered.desks, deskPasswords };
        if (!o.ari) return { ...base, outcome: 'not_reloaded' as const, error: null };
        try {
          await reloadAsterisk(o.ari);
          // What Asterisk took: the page compares this hash with the files, not Asterisk's clock with the file's.
          const applied = { filesHash: usersFilesHash(rendered.pjsip, rendered.extensions), reloadedAt: new Date() };
          await tx.insert(sipEndpointsApplied).values({ id: 1, ...applied }).onConflictDoUpdate({ target: sipEndpointsApplied.id, set: applied });
          return { ...base, outcome: 'reloaded' as const, error: null };
        } catch (err) {
          return { ...base, outcome: err instanceof AsteriskUnreachable ? ('asterisk_unreachable' as const) : ('reload_refused' as const), error: (err as Error).message };
        }
      });
    } catch (err) {
      if (!(err instanceof PasswordsChanged) || round >= 5) throw err;
    }
  }
}

/** Both endpoint files' contents as one hash (the files on disk are compared with the one Asterisk last reloaded). */
export function usersFilesHash(pjsip: string, extensions: string): string {
  return createHash('sha256').update(pjsip).update('\u0000').update(extensions).digest('hex');
}

/** A password was issued between the two transactions: the write's transaction is rolled back before any file. */
class PasswordsChanged extends Error {
  constructor() {
    super('SIP passwords kept changing while the endpoint files were being written: try the apply again');
  }
}

/** Issues any password still missing and renders both files from the users table. */
async function buildUsersConfig(db: Db, secret: string): Promise<{ rendered: UsersConfig; deskPasswords: ApplyResult['deskPasswords'] }> {
  const { operators, desks } = await readEndpointUsers(db);
  const passwords = new Map<string, string>();
  for (const op of operators) passwords.set(op.sipEndpoint, await ensureSipPassword(db, secret, op.sipEndpoint, op.userId));
  const deskPasswords: ApplyResult['deskPasswords'] = new Map();
  for (const d of desks.filter((x) => isDeskExtension(x.extension))) {
    const name = deskEndpoint(d.extension);
    if (!passwords.has(name)) passwords.set(name, await ensureSipPassword(db, secret, name, null));
    if (!deskPasswords.has(name)) deskPasswords.set(name, { password: passwords.get(name)!, owner: d.owner });
  }
  return { rendered: renderUsersConfig(operators, desks, (endpoint) => passwords.get(endpoint)!), deskPasswords };
}
