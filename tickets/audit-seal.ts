import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Head } from '../platform/seals/checkpoints.ts';
import type { HeadLog } from '../platform/seals/head-log.ts';
import type { SealSigner } from '../platform/seals/keys.ts';
import type { Sealing } from '../platform/seals/seals.ts';

/** What a ticket-trail seal signs: the court, the range of the chain it vouches for, and the head's hash. */
export function ticketSealText(courtId: string, from: number, seq: number, hash: string): string {
  return `hotline-seal/tickets/v1\0${courtId}\0${from}\0${seq}\0${hash}`;
}

/** The fields of a ticket-trail seal's signed text; null when the text is not one. */
export function parseTicketSealText(text: string): { courtId: string; from: number; seq: number; hash: string } | null {
  const [tag, courtId, from, seq, hash, ...rest] = text.split('\0');
  if (tag !== 'hotline-seal/tickets/v1' || rest.length > 0 || hash === undefined) return null;
  return { courtId: courtId!, from: Number(from), seq: Number(seq), hash };
}

/**
 * The sealing of one change's transaction: the key, and the heads it sealed, sent to the head log
 * (platform/seals/head-log.ts) by `committed()` once the transaction has committed (a rolled-back head would
 * read as a cut tail). A change inside a caller's transaction is not told of the commit: its head is logged by the
 * next append to the court, which finds it under the court's lock (`found`), or by the next checkpoint.
 */
export class TrailSeal {
  private readonly sealed: Array<{ courtId: string; seq: number; text: string; sig: string }> = [];
  constructor(
    readonly signer: SealSigner,
    private readonly headLog: HeadLog | null,
  ) {}

  static of(seals: Sealing | null | undefined): TrailSeal | null {
    return seals ? new TrailSeal(seals.signer, seals.headLog) : null;
  }

  /** Signs a court's new head; logged at `committed()`. */
  seal(courtId: string, from: number, seq: number, hash: string): string {
    const text = ticketSealText(courtId, from, seq, hash);
    const sig = this.signer.sign(text);
    this.sealed.push({ courtId, seq, text, sig });
    return sig;
  }

  /** A sealed head found under the court's lock: committed by an earlier change, so logged at once. */
  found(courtId: string, from: number, seq: number, hash: string, sig: string): void {
    this.headLog?.append('tickets', courtId, seq, ticketSealText(courtId, from, seq, hash), sig);
  }

  committed(): void {
    for (const s of this.sealed) this.headLog?.append('tickets', s.courtId, s.seq, s.text, s.sig);
    this.sealed.length = 0;
  }
}

/** Every court's head of the ticket trail now, for the checkpoints (chain key: the court id). */
export async function ticketHeads(db: Db): Promise<Record<string, Head>> {
  const { rows } = await db.execute<{ court_id: string; seq: string | number; hash: string }>(
    sql`select distinct on (court_id) court_id::text, seq, hash from tickets.ticket_events order by court_id, seq desc`,
  );
  return Object.fromEntries(rows.map((r) => [r.court_id, { seq: Number(r.seq), hash: r.hash }]));
}
