import { bigserial, index, jsonb, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { courts } from '../../platform/courts.sql.ts';
import { apiSchema } from '../schema.sql.ts';

/**
 * Append-only trail of sign-ins, sign-outs and permission changes. `courtId` is null only for a
 * failed sign-in with an unknown username (no court to attribute it to).
 */
export const auditLog = apiSchema.table(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    courtId: uuid('court_id').references(() => courts.id),
    /** Who did it (null when nobody was signed in, e.g. a failed sign-in). */
    actorUserId: uuid('actor_user_id'),
    action: varchar('action', { length: 64 }).notNull(),
    targetType: varchar('target_type', { length: 32 }),
    targetId: text('target_id'),
    /** Already masked: never raw passwords, phone numbers or ID numbers. */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    ip: varchar('ip', { length: 64 }),
  },
  (t) => [index('audit_log_court_at').on(t.courtId, t.at)],
);
