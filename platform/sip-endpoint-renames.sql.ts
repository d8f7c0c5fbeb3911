import { text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { platformSchema } from './courts.sql.ts';

/**
 * Users whose softphone endpoint the migration that made `users.sip_endpoint` unique had to rename, because an
 * earlier user (by creation time) already had the name. The start-up check logs each one still unconfirmed at error,
 * and `GET /api/users/sip-endpoint-renames` shows them to their court's admin; an admin's PATCH of the user's
 * `sipEndpoint` (even to the new name) confirms it (docs/api.md, users).
 */
export const sipEndpointRenames = platformSchema.table('sip_endpoint_renames', {
  userId: uuid('user_id').primaryKey(),
  courtId: uuid('court_id').notNull(),
  fromEndpoint: varchar('from_endpoint', { length: 64 }).notNull(),
  toEndpoint: varchar('to_endpoint', { length: 64 }).notNull(),
  note: text('note').notNull().default('duplicate endpoint renamed by migration'),
  renamedAt: timestamp('renamed_at', { withTimezone: true }).notNull().defaultNow(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
});
