import { integer, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { telephonySchema } from '../telephony.sql.ts';

/**
 * A court's case system as an HTTP source of its case directory (案件系统对接): a URL answering JSON or CSV in the
 * import's columns, fetched on demand and every `everyMinutes`; its bearer token only sealed (never returned). The
 * last sync's time, result and error are kept here for the settings page; a failed sync changes no case.
 */
export const caseSources = telephonySchema.table('case_sources', {
  courtId: uuid('court_id').primaryKey(),
  url: varchar('url', { length: 2000 }).notNull(),
  /** `v1.<iv>.<tag>.<ciphertext>` under HOTLINE_SIP_PASSWORD_SECRET (telephony/cases/source-token.ts); null: no token. */
  tokenSealed: text('token_sealed'),
  everyMinutes: integer('every_minutes').notNull(),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true, precision: 3 }),
  /** `ok` or `failed`; null before the first sync. */
  lastResult: varchar('last_result', { length: 16 }),
  /** `manual` (sync now) or `schedule`. */
  lastTrigger: varchar('last_trigger', { length: 16 }),
  /** Why the last sync failed (HTTP status, network, the rows' problems), in English; its Chinese beside it. */
  lastError: text('last_error'),
  lastErrorZh: text('last_error_zh'),
  lastTotal: integer('last_total'),
  lastCreated: integer('last_created'),
  lastUpdated: integer('last_updated'),
});
