import { bigint, bigserial, index, jsonb, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { courts } from '../platform/courts.sql.ts';
import { ticketsSchema } from './schema.sql.ts';
import { tickets } from './tickets.sql.ts';

/**
 * Append-only trail of every ticket change, one hash chain per court: hash = sha256(prevHash + canonical
 * event), each append's head signed with the seal key. Rows are only ever inserted; `npm run verify` names
 * every broken link, unsealed event and head behind its checkpoint.
 */
export const ticketEvents = ticketsSchema.table(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    courtId: uuid('court_id').notNull().references(() => courts.id),
    /** Position in the court's chain, from 1 with no gaps. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    ticketId: uuid('ticket_id').notNull().references(() => tickets.id),
    action: varchar('action', { length: 64 }).notNull(),
    actorId: uuid('actor_id').notNull(),
    actorRole: varchar('actor_role', { length: 32 }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    before: jsonb('before').$type<Record<string, unknown>>().notNull(),
    after: jsonb('after').$type<Record<string, unknown>>().notNull(),
    reason: text('reason'),
    prevHash: varchar('prev_hash', { length: 64 }).notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
    /**
     * On the last event of each append (per court): the first seq this seal vouches for, and the Ed25519 signature
     * (base64) over court, sealFrom, seq and hash with the seal key, which is not in the database (tickets/audit-seal.ts).
     */
    sealFrom: bigint('seal_from', { mode: 'number' }),
    seal: text('seal'),
  },
  (t) => [uniqueIndex('ticket_events_court_seq').on(t.courtId, t.seq), index('ticket_events_ticket').on(t.ticketId, t.id)],
);
