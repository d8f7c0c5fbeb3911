import { bigint, bigserial, index, jsonb, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { courts } from '../platform/courts.sql.ts';
import { ticketsSchema } from './schema.sql.ts';
import { tickets } from './tickets.sql.ts';

/**
 * Append-only trail of every ticket change, one hash chain per court: hash = sha256(prevHash + canonical
 * event). Rows are only ever inserted; `npm run tickets:verify-audit` names the first broken link.
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
  },
  (t) => [uniqueIndex('ticket_events_court_seq').on(t.courtId, t.seq), index('ticket_events_ticket').on(t.ticketId, t.id)],
);
