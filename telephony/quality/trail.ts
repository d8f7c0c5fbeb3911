import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/client.ts';
import { canonicalJson, genesis, leafText } from '../../platform/seals/canonical.ts';
import type { Sealing } from '../../platform/seals/seals.ts';

export type { Tx };
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
