import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Head } from '../platform/seals/checkpoints.ts';

/** What a ticket-trail seal signs: the court, the range of the chain it vouches for, and the head's hash. */
export function ticketSealText(courtId: string, from: number, seq: number, hash: string): string {
  return `hotline-seal/tickets/v1\0${courtId}\0${from}\0${seq}\0${hash}`;
}

/** Every court's head of the ticket trail now, for the checkpoints (chain key: the court id). */
export async function ticketHeads(db: Db): Promise<Record<string, Head>> {
  const { rows } = await db.execute<{ court_id: string; seq: string | number; hash: string }>(
    sql`select distinct on (court_id) court_id::text, seq, hash from tickets.ticket_events order by court_id, seq desc`,
  );
  return Object.fromEntries(rows.map((r) => [r.court_id, { seq: Number(r.seq), hash: r.hash }]));
}
