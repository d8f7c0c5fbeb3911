import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { canonicalJson, genesis, leafText } from '../../platform/seals/canonical.ts';
import type { Sealing } from '../../platform/seals/seals.ts';
import type { SealVerifier } from '../../platform/seals/keys.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export const qualityEventKinds = ['scored', 'appealed', 'accepted', 'decided', 'amended'] as const;
export type QualityEventKind = (typeof qualityEventKinds)[number];

export interface QualityEvent {
  courtId: string;
  seq: number;
  reviewId: string;
  kind: QualityEventKind;
  actorId: string;
  at: string;
  data: Record<string, unknown>;
}

/** The event's hash: the platform's leaf hash over its fields in a fixed order, chained to the one before. */
export function qualityEventHash(prev: string, e: QualityEvent): string {
  return leafText(`quality:${e.courtId}/${e.seq}`, JSON.stringify([prev, e.courtId, e.seq, e.reviewId, e.kind, e.actorId, e.at]) + canonicalJson(e.data));
}

/** What a quality event's seal signs (the ticket trail's form with its own tag). */
export function qualitySealText(courtId: string, seq: number, hash: string): string {
  return `hotline-seal/quality/v1\0${courtId}\0${seq}\0${hash}`;
}

/**
 * Appends one sealed event to the court's quality chain, in the caller's transaction, under the court's advisory
 * lock (the chain's next number and previous hash are read under it). Each event is signed with the deployment's
 * seal key; the head log hears of it once the transaction committed (`after`).
 */
export async function appendQualityEvent(tx: Tx, seals: Sealing, e: Omit<QualityEvent, 'seq' | 'at'> & { at: Date }): Promise<{ after(): void }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('telephony.quality_events'), hashtext(${e.courtId}))`);
  const { rows } = await tx.execute<{ seq: string | number; hash: string }>(
    sql`select seq, hash from telephony.quality_events where court_id = ${e.courtId} order by seq desc limit 1`,
  );
  const seq = rows[0] ? Number(rows[0].seq) + 1 : 1;
  const prev = rows[0]?.hash ?? genesis;
  const event: QualityEvent = { ...e, seq, at: e.at.toISOString() };
  const hash = qualityEventHash(prev, event);
  const text = qualitySealText(e.courtId, seq, hash);
  const seal = seals.signer.sign(text);
  await tx.execute(sql`insert into telephony.quality_events (court_id, seq, review_id, kind, actor_id, at, data, prev, hash, seal)
    values (${e.courtId}, ${seq}, ${e.reviewId}, ${e.kind}, ${e.actorId}, ${event.at}, ${JSON.stringify(e.data)}::jsonb, ${prev}, ${hash}, ${seal})`);
  return { after: () => seals.headLog?.append('quality', e.courtId, seq, text, seal) };
}

/** Problems in a court's quality chain: an edited, inserted or removed event, or a seal the key did not make. */
export async function verifyQualityChain(db: Db, verifier: SealVerifier, courtId: string): Promise<string[]> {
  const { rows } = await db.execute<{ seq: string | number; review_id: string; kind: QualityEventKind; actor_id: string; at: Date | string; data: Record<string, unknown>; prev: string; hash: string; seal: string }>(
    sql`select seq, review_id::text, kind, actor_id::text, at, data, prev, hash, seal from telephony.quality_events where court_id = ${courtId} order by seq`,
  );
  const problems: string[] = [];
  let prev = genesis;
  rows.forEach((r, i) => {
    const seq = Number(r.seq);
    if (seq !== i + 1) problems.push(`quality_events ${courtId}#${seq}: expected #${i + 1} (an event was removed)`);
    const at = new Date(r.at).toISOString();
    const hash = qualityEventHash(prev, { courtId, seq, reviewId: r.review_id, kind: r.kind, actorId: r.actor_id, at, data: r.data });
    if (r.prev !== prev || r.hash !== hash) problems.push(`quality_events ${courtId}#${seq}: edited (its hash does not follow the chain)`);
    if (!verifier.verify(qualitySealText(courtId, seq, r.hash), r.seal)) problems.push(`quality_events ${courtId}#${seq}: its seal was not made with the key`);
    prev = r.hash;
  });
  return problems;
}
