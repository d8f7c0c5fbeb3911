import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { retry } from '../../platform/retry.ts';
import { unownedClaims } from './unowned.sql.ts';

/**
 * A claim row is committed before its ticket is made (the tickets service writes in its own transaction). A claim
 * whose ticket is still missing after this long was left by a crash or a database outage between the two: it is void
 * (hides no try, stops no callback) and the next claim of the caller replaces it.
 */
export const claimStaleMs = 60_000;

/** A number that can be called back; withheld or anonymous callers (empty, 'anonymous', 'unknown', …) are not. */
export const usableNumber = (n: string) => /^\+?[0-9]{3,20}$/.test(n);
/** The same test in SQL, over a column or expression. */
export const usableNumberSql = (column: SQL) => sql`(${column} ~ '^\\+?[0-9]{3,20}$')`;

/** SQL: the claim row aliased `alias` stands — it has its ticket, or it is younger than claimStaleMs. */
export const standingClaim = (alias: string, now: number) =>
  sql`(${sql.raw(alias)}.ticket_id is not null or ${sql.raw(alias)}.claimed_at > ${new Date(now - claimStaleMs).toISOString()}::timestamptz)`;

/**
 * Serialises every claim of one caller on one China day (operators' and the automatic callback's) until the
 * transaction ends: the re-read of the entry and the insert of its claim are one step, so no two claims cover the
 * same tries.
 */
export async function lockCallerDay(tx: Db, courtId: string, callerNumber: string, day: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`unowned|${courtId}|${callerNumber}|${day}`}))`);
}

/** Deletes the caller's void claims of that day (no ticket, older than claimStaleMs), so a new claim may take their place. */
export async function dropStaleClaims(tx: Db, c: { courtId: string; callerNumber: string; day: string; now: number }): Promise<void> {
  await tx.execute(sql`delete from ${unownedClaims} k
    where k.court_id = ${c.courtId} and k.caller_number = ${c.callerNumber} and k.day = ${c.day}::date
      and k.ticket_id is null and k.claimed_at <= ${new Date(c.now - claimStaleMs).toISOString()}::timestamptz`);
}

/** Whether a standing claim of the caller that day already covers a try that arrived at `at`. */
export async function claimCovers(tx: Db, c: { courtId: string; callerNumber: string; day: string; at: Date; now: number }): Promise<boolean> {
  const { rows } = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${unownedClaims} k
    where k.court_id = ${c.courtId} and k.caller_number = ${c.callerNumber} and k.day = ${c.day}::date
      and k.through >= ${c.at.toISOString()}::timestamptz and ${standingClaim('k', c.now)}`);
  return (rows[0]?.n ?? 0) > 0;
}

/** One claim row, as its claimer wrote it. */
export interface ClaimRow {
  callId: string;
  claimedBy: string;
  claimedAt: Date;
}
const ownRow = (c: ClaimRow) => and(eq(unownedClaims.callId, c.callId), eq(unownedClaims.claimedBy, c.claimedBy), eq(unownedClaims.claimedAt, c.claimedAt), isNull(unownedClaims.ticketId));

/**
 * Links a claim to the ticket made for it. Finding no row means the ticket took longer than claimStaleMs and a later
 * claim replaced this one: the ticket stands, but the caller may get a second one; said as an error, with both ids.
 */
export async function linkClaimToTicket(db: Db, claim: ClaimRow, ticketId: string, log: Logger): Promise<void> {
  // The update is idempotent: a blip of the database is tried through (its claim goes void after claimStaleMs).
  const update = () => db.update(unownedClaims).set({ ticketId }).where(ownRow(claim)).returning({ callId: unownedClaims.callId });
  const linked = await retry(update, (failures) => (failures < linkAttempts ? 500 * failures : undefined));
  if (linked.length === 0) log.error({ callId: claim.callId, claimedBy: claim.claimedBy, ticketId }, 'claim replaced before its ticket was linked: the caller may be claimed again');
}
const linkAttempts = 3;

/**
 * Undoes a claim whose ticket could not be made, so the caller goes back to the queue as they were. A claim whose
 * ticket was made is kept (it is what hides the caller) and the failure to link it is said. Should the delete fail
 * too, the claim is void after claimStaleMs: the caller is never hidden for good.
 */
export async function undoClaim(db: Db, claim: ClaimRow, ticketId: string | undefined, err: unknown, log: Logger): Promise<void> {
  const reason = err instanceof Error ? err.message : String(err);
  if (ticketId) {
    log.error({ callId: claim.callId, claimedBy: claim.claimedBy, ticketId, err: reason }, 'ticket made but its claim not linked: the caller may be claimed again after the claim goes void');
    return;
  }
  await db
    .delete(unownedClaims)
    .where(ownRow(claim))
    .catch((e: Error) => log.warn({ callId: claim.callId, err: e.message }, 'void claim not removed: it lapses after claimStaleMs'));
}
