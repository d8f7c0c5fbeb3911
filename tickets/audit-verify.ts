import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Head } from '../platform/seals/checkpoints.ts';
import type { SealVerifier } from '../platform/seals/keys.ts';
import type { Findings } from '../platform/seals/problems.ts';
import { genesisHash, hashEvent, type JsonObject } from './audit.ts';
import { ticketSealText } from './audit-seal.ts';
import { ticketEvents } from './audit.sql.ts';

/**
 * The keyed check of the ticket trail, court by court: every link holds (an edited row breaks its hash, a
 * deleted or inserted one the sequence), every event is covered by a seal that verifies with the public key
 * (a chain rewritten and re-hashed without the key fails here), and the chain reaches its last checkpoint
 * with the same hash there (a cut tail, a deleted chain). Returns the events and courts walked.
 */
export async function verifyTicketTrail(db: Db, verifier: SealVerifier, checkpoint: Record<string, Head>, findings: Findings, pageSize = 2000): Promise<{ courts: number; events: number }> {
  const courtRows = await db.selectDistinct({ courtId: ticketEvents.courtId }).from(ticketEvents).orderBy(asc(ticketEvents.courtId));
  const present = new Set(courtRows.map((r) => r.courtId));
  for (const [courtId, head] of Object.entries(checkpoint)) {
    if (!present.has(courtId)) findings.add(`tickets.ticket_events court ${courtId}`, `the court's whole chain is missing (checkpoint had it through event #${head.seq})`);
  }
  let events = 0;
  for (const courtId of present) {
    const name = (seq: number, id?: number) => `tickets.ticket_events court ${courtId}, event #${seq}${id === undefined ? '' : ` (row id ${id})`}`;
    let prevHash = genesisHash;
    let expectedSeq = 1;
    /** The first seq no seal covers yet. */
    let unsealedFrom = 1;
    const cp = checkpoint[courtId];
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
        if (cp && row.seq === cp.seq && row.hash !== cp.hash) findings.add(name(row.seq, row.id), `differs from the checkpoint's head at #${cp.seq}: the chain was rewritten`);
        prevHash = row.hash;
        expectedSeq = row.seq + 1;
      }
    }
    const last = expectedSeq - 1;
    if (unsealedFrom <= last) findings.add(name(unsealedFrom), `events #${unsealedFrom}..#${last} are covered by no seal: written without the key`);
    if (cp && last < cp.seq) findings.add(name(last + 1), `the chain ends at #${last} but the checkpoint had it through #${cp.seq}: its tail was cut`);
  }
  return { courts: present.size, events };
}
