import { check, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { telephonySchema } from '../telephony.sql.ts';

/**
 * The deployment's endpoint files as Asterisk last took them (one row): the hash of both files at the last reload
 * Asterisk answered 204 to. "Applied" compares this hash with the files on disk, not clocks (Asterisk's reload time
 * has whole-second steps and another host's clock).
 */
export const sipEndpointsApplied = telephonySchema.table(
  'sip_endpoints_applied',
  {
    id: smallint('id').primaryKey().default(1),
    filesHash: text('files_hash').notNull(),
    reloadedAt: timestamp('reloaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('sip_endpoints_applied_one_row', sql`${t.id} = 1`)],
);
