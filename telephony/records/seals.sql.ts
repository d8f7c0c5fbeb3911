import { integer, jsonb, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';
import type { StoredLeaves } from './seal-pack.ts';

/**
 * One seal per court per journal batch that changed something: the Merkle root over the canonical form of every
 * record the batch carries (call starts, closes, call events, transfer legs, outbound legs and statuses), chained to
 * the previous seal of the same writer (`stream`, one per journal) and court, and signed with the seal key, which is
 * not in the database. `leaves` keeps each record's key and hash, packed (seal-pack.ts), so verify recomputes the root
 * and checks each row (telephony/records/seal.ts, seal-verify.ts). Only ever inserted.
 */
export const recordSeals = telephonySchema.table(
  'record_seals',
  {
    stream: uuid('stream').notNull(),
    /** The court the records belong to; the all-zero id for records of no court. */
    courtId: uuid('court_id').notNull(),
    /** 1, 2, … within (stream, court), no gaps. */
    seq: integer('seq').notNull(),
    prev: varchar('prev', { length: 64 }).notNull(),
    root: varchar('root', { length: 64 }).notNull(),
    /** Key and leaf hash per record, in the order of the root: a packed string (seal-pack.ts; the first seals: [key, hash] pairs). */
    leaves: jsonb('leaves').$type<StoredLeaves>().notNull(),
    /** sha256 of the signed text; the next seal's prev. */
    hash: varchar('hash', { length: 64 }).notNull(),
    /** Ed25519 signature (base64) over the signed text. */
    seal: text('seal').notNull(),
    sealedAt: timestamp('sealed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.stream, t.courtId, t.seq] })],
);
