import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { ticketEvents } from './audit.sql.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type JsonObject = Record<string, unknown>;

/** The previous hash of a court's first event. */
export const genesisHash = '0'.repeat(64);

/** What is hashed: every column of the event except its own hash and row id. */
export interface ChainedEvent {
  courtId: string;
  seq: number;
  ticketId: string;
  action: string;
  actorId: string;
  actorRole: string;
  at: string;
  before: JsonObject;
  after: JsonObject;
  reason: string | null;
}

/** sha256 over the previous hash followed by the event in canonical JSON (RFC 8785). */
export function hashEvent(prevHash: string, event: ChainedEvent): string {
  return createHash('sha256').update(prevHash).update(canonicalize(event) ?? '').digest('hex');
}

export interface AppendInput {
  courtId: string;
  ticketId: string;
  action: string;
  actorId: string;
  actorRole: string;
  at: Date;
  before: JsonObject;
  after: JsonObject;
  reason?: string | null;
}

/**
 * Appends an event to its court's chain inside the caller's transaction. A transaction-scoped advisory lock
 * per court serialises appends, so the chain never forks; courts do not wait on each other.
 */
export async function appendEvent(tx: Tx, input: AppendInput): Promise<{ id: number; seq: number }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`tickets.audit:${input.courtId}`}, 0))`);
  const [last] = await tx
    .select({ seq: ticketEvents.seq, hash: ticketEvents.hash })
    .from(ticketEvents)
    .where(eq(ticketEvents.courtId, input.courtId))
    .orderBy(desc(ticketEvents.seq))
    .limit(1);
  const prevHash = last?.hash ?? genesisHash;
  const event: ChainedEvent = {
    courtId: input.courtId,
    seq: (last?.seq ?? 0) + 1,
    ticketId: input.ticketId,
    action: input.action,
    actorId: input.actorId,
    actorRole: input.actorRole,
    at: input.at.toISOString(),
    before: jsonSafe(input.before),
    after: jsonSafe(input.after),
    reason: input.reason ?? null,
  };
  const [row] = await tx
    .insert(ticketEvents)
    .values({ ...event, at: input.at, prevHash, hash: hashEvent(prevHash, event) })
    .returning({ id: ticketEvents.id });
  return { id: row!.id, seq: event.seq };
}

/** Dates become ISO strings, undefined keys disappear: exactly what jsonb gives back. */
function jsonSafe(value: JsonObject): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

export type ChainCheck =
  | { ok: true; courts: number; events: number }
  | { ok: false; courts: number; events: number; broken: { courtId: string; seq: number; eventId: number | null; problem: string } };

/** Walks every court's chain in order and names the first link that does not hold. */
export async function verifyChains(db: Db, pageSize = 1000): Promise<ChainCheck> {
  const courtRows = await db.selectDistinct({ courtId: ticketEvents.courtId }).from(ticketEvents).orderBy(asc(ticketEvents.courtId));
  let events = 0;
  for (const { courtId } of courtRows) {
    let prevHash = genesisHash;
    let expectedSeq = 1;
    for (;;) {
      const page = await db
        .select()
        .from(ticketEvents)
        .where(and(eq(ticketEvents.courtId, courtId), gt(ticketEvents.seq, expectedSeq - 1)))
        .orderBy(asc(ticketEvents.seq))
        .limit(pageSize);
      if (page.length === 0) break;
      for (const row of page) {
        events++;
        const fail = (problem: string): ChainCheck => ({ ok: false, courts: courtRows.length, events, broken: { courtId, seq: expectedSeq, eventId: row.id, problem } });
        if (row.seq !== expectedSeq) return fail(`event ${expectedSeq} is missing (next is ${row.seq})`);
        if (row.prevHash !== prevHash) return fail('its previous-hash does not match the event before it');
        const recomputed = hashEvent(prevHash, {
          courtId: row.courtId,
          seq: row.seq,
          ticketId: row.ticketId,
          action: row.action,
          actorId: row.actorId,
          actorRole: row.actorRole,
          at: row.at.toISOString(),
          before: row.before as JsonObject,
          after: row.after as JsonObject,
          reason: row.reason,
        });
        if (recomputed !== row.hash) return fail('its content does not match its hash (the row was edited)');
        prevHash = row.hash;
        expectedSeq++;
      }
    }
  }
  return { ok: true, courts: courtRows.length, events };
}
