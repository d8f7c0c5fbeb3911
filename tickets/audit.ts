import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../platform/db/client.ts';
import type { TrailSeal } from './audit-seal.ts';
import { ticketEvents } from './audit.sql.ts';

export type { Tx };
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
  /** An id already taken from the events' sequence (nextEventIdSql), so rows that cite it were written before the chain lock. */
  id?: number;
}

/** Takes the next event id: lets a change write what cites its event before it locks the court's chain. */
export const nextEventIdSql = sql<number>`nextval(pg_get_serial_sequence('tickets.ticket_events', 'id'))::int8`.mapWith(Number);

/**
 * Appends an event to its court's chain inside the caller's transaction. A transaction-scoped advisory lock
 * per court serialises appends, so the chain never forks; courts do not wait on each other.
 */
export async function appendEvent(tx: Tx, input: AppendInput, seal?: TrailSeal | null): Promise<{ id: number; seq: number }> {
  const [appended] = await appendEvents(tx, [input], seal);
  return appended!;
}

/**
 * Appends several events, in the order given, with one lock and one read of the head per court and one
 * insert: a batch of N changes costs a handful of round trips instead of 3N. Courts are locked in id
 * order, so two batches never wait on each other in a cycle. Returns each input's event id and seq.
 * With a seal (audit-seal.ts), the last event of each court is sealed: one Ed25519 signature per court per append,
 * over the new head and the first seq it vouches for (an event no seal covers was written without the key); the
 * sealed head found under the lock goes to the head log.
 */
export async function appendEvents(tx: Tx, inputs: AppendInput[], seal?: TrailSeal | null): Promise<{ id: number; seq: number }[]> {
  if (inputs.length === 0) return [];
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const courtId of [...new Set(inputs.map((i) => i.courtId))].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`tickets.audit:${courtId}`}, 0))`);
    const [last] = await tx
      .select({ seq: ticketEvents.seq, hash: ticketEvents.hash, sealFrom: ticketEvents.sealFrom, seal: ticketEvents.seal })
      .from(ticketEvents)
      .where(eq(ticketEvents.courtId, courtId))
      .orderBy(desc(ticketEvents.seq))
      .limit(1);
    heads.set(courtId, last ?? { seq: 0, hash: genesisHash });
    if (last?.seal && last.sealFrom !== null) seal?.found(courtId, last.sealFrom, last.seq, last.hash, last.seal);
  }
  const rows = inputs.map((input) => {
    const head = heads.get(input.courtId)!;
    const event: ChainedEvent = {
      courtId: input.courtId,
      seq: head.seq + 1,
      ticketId: input.ticketId,
      action: input.action,
      actorId: input.actorId,
      actorRole: input.actorRole,
      at: input.at.toISOString(),
      before: jsonSafe(input.before),
      after: jsonSafe(input.after),
      reason: input.reason ?? null,
    };
    const hash = hashEvent(head.hash, event);
    heads.set(input.courtId, { seq: event.seq, hash });
    return { ...event, ...(input.id !== undefined ? { id: input.id } : {}), at: input.at, prevHash: head.hash, hash, sealFrom: null as number | null, seal: null as string | null };
  });
  if (seal) {
    const lastOf = new Map<string, (typeof rows)[number]>();
    const firstSeq = new Map<string, number>();
    for (const row of rows) {
      lastOf.set(row.courtId, row);
      if (!firstSeq.has(row.courtId)) firstSeq.set(row.courtId, row.seq);
    }
    for (const [courtId, row] of lastOf) {
      row.sealFrom = firstSeq.get(courtId)!;
      row.seal = seal.seal(courtId, row.sealFrom, row.seq, row.hash);
    }
  }
  const inserted = await tx.insert(ticketEvents).values(rows).returning({ id: ticketEvents.id, courtId: ticketEvents.courtId, seq: ticketEvents.seq });
  // RETURNING's order is not promised: match rows back by (court, seq).
  const ids = new Map(inserted.map((r) => [`${r.courtId}/${r.seq}`, r.id]));
  return rows.map((r) => ({ id: ids.get(`${r.courtId}/${r.seq}`)!, seq: r.seq }));
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
