import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Head } from '../platform/seals/checkpoints.ts';
import { forEachHeadLine, type HeadLogSource } from '../platform/seals/head-log.ts';
import type { SealVerifier } from '../platform/seals/keys.ts';
import type { Findings } from '../platform/seals/problems.ts';
import { genesisHash, hashEvent, type JsonObject } from './audit.ts';
import { parseTicketSealText, ticketSealText } from './audit-seal.ts';
import { ticketEvents } from './audit.sql.ts';

/** A head the chain must reach, and where it was recorded. */
type Expected = Head & { source: string };

/**
 * The keyed check of the ticket trail, court by court: every link holds (an edited row breaks its hash, a
 * deleted or inserted one the sequence), every event is covered by a seal that verifies with the public key
 * (a chain rewritten and re-hashed without the key fails here), and the chain reaches the furthest head its last
 * checkpoint or the head logs recorded, with the same hash there (a cut tail, a deleted chain). Returns the events
 * and courts walked.
 */
export async function verifyTicketTrail(
  db: Db,
  verifier: SealVerifier,
  checkpoint: Record<string, Head>,
  findings: Findings,
  options: { headLogs?: HeadLogSource | null; pageSize?: number } = {},
): Promise<{ courts: number; events: number }> {
  const pageSize = options.pageSize ?? 2000;
  const expected: Record<string, Expected> = Object.fromEntries(Object.entries(checkpoint).map(([court, head]) => [court, { ...head, source: 'the checkpoint' }]));
  if (options.headLogs) {
    for (const [court, head] of Object.entries(await loggedHeads(options.headLogs, verifier, findings))) {
      if (!expected[court] || head.seq > expected[court].seq) expected[court] = head;
    }
  }
  const courtRows = await db.selectDistinct({ courtId: ticketEvents.courtId }).from(ticketEvents).orderBy(asc(ticketEvents.courtId));
  const present = new Set(courtRows.map((r) => r.courtId));
  for (const [courtId, head] of Object.entries(expected)) {
    if (!present.has(courtId)) findings.add(`tickets.ticket_events court ${courtId}`, `the court's whole chain is missing (${head.source} had it through event #${head.seq})`);
  }
  let events = 0;
  for (const courtId of present) {
    const name = (seq: number, id?: number) => `tickets.ticket_events court ${courtId}, event #${seq}${id === undefined ? '' : ` (row id ${id})`}`;
    let prevHash = genesisHash;
    let expectedSeq = 1;
    /** The first seq no seal covers yet. */
    let unsealedFrom = 1;
    const cp = expected[courtId];
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
        if (row.seq !== expectedSeq) {
          findings.add(name(expectedSeq), `is missing (the next is #${row.seq}): deleted`);
        } else if (row.prevHash !== prevHash) {
          findings.add(name(row.seq, row.id), 'does not follow the event before it (its previous-hash differs): a row before it was deleted, inserted or edited');
        }
        const recomputed = hashEvent(row.prevHash, {
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
        if (recomputed !== row.hash) findings.add(name(row.seq, row.id), 'its content does not match its hash: the row was edited');
        if (row.seal !== null || row.sealFrom !== null) {
          if (!verifier.verify(ticketSealText(courtId, row.sealFrom ?? 0, row.seq, row.hash), row.seal)) {
            findings.add(name(row.seq, row.id), `its seal does not verify with key ${verifier.keyId}: sealed without the key`);
          } else if (row.sealFrom !== unsealedFrom) {
            const gap = row.sealFrom! > unsealedFrom ? `events #${unsealedFrom}..#${row.sealFrom! - 1} are covered by no seal: written without the key` : `its seal starts at #${row.sealFrom}, inside an earlier seal`;
            findings.add(name(row.seq, row.id), gap);
          }
          unsealedFrom = row.seq + 1;
        }
        if (cp && row.seq === cp.seq && row.hash !== cp.hash) findings.add(name(row.seq, row.id), `differs from the head ${cp.source} had at #${cp.seq}: the chain was rewritten`);
        prevHash = row.hash;
        expectedSeq = row.seq + 1;
      }
    }
    const last = expectedSeq - 1;
    if (unsealedFrom <= last) findings.add(name(unsealedFrom), `events #${unsealedFrom}..#${last} are covered by no seal: written without the key`);
    if (cp && last < cp.seq) findings.add(name(last + 1), `the chain ends at #${last} but ${cp.source} had it through #${cp.seq}: its tail was cut`);
  }
  return { courts: present.size, events };
}

/** Each court's furthest head in the head logs, its line's signature checked (one written without the key is named). */
async function loggedHeads(logs: HeadLogSource, verifier: SealVerifier, findings: Findings): Promise<Record<string, Expected>> {
  const furthest = new Map<string, { seq: number; hash: string; where: string; text: string; sig: string }>();
  await forEachHeadLine(
    logs,
    'tickets',
    ({ entry, where }) => {
      const s = parseTicketSealText(entry.text);
      if (!s) return findings.add(where, 'is not a ticket-trail seal: the head log was edited');
      const seen = furthest.get(s.courtId);
      if (!seen || s.seq > seen.seq) furthest.set(s.courtId, { seq: s.seq, hash: s.hash, where, text: entry.text, sig: entry.sig });
    },
    (where, problem) => findings.add(where, problem),
  );
  const out: Record<string, Expected> = {};
  for (const [court, h] of furthest) {
    if (verifier.verify(h.text, h.sig)) out[court] = { seq: h.seq, hash: h.hash, source: `the head log (${h.where})` };
    else findings.add(h.where, `its signature does not verify with key ${verifier.keyId}: written without the key`);
  }
  return out;
}
