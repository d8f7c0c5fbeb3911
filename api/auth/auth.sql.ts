import { boolean, index, integer, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { users } from '../../platform/directory.sql.ts';
import { apiSchema } from '../schema.sql.ts';

/**
 * A user's password hash (argon2id, PHC string). Users without a row cannot sign in. `mustChange`: an admin set this
 * password (a reset), so the user must choose their own at the next sign-in before doing anything else.
 */
export const credentials = apiSchema.table('credentials', {
  userId: uuid('user_id').primaryKey().references(() => users.id),
  passwordHash: text('password_hash').notNull(),
  mustChange: boolean('must_change').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Server-side sessions. Only the SHA-256 of the cookie token is stored, so a database leak yields no session. */
export const sessions = apiSchema.table(
  'sessions',
  {
    tokenHash: varchar('token_hash', { length: 64 }).primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: varchar('ip', { length: 64 }),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expires').on(t.expiresAt)],
);

/** Consecutive failed sign-ins per username; a user is locked until `lockedUntil` after too many. */
export const signInFailures = apiSchema.table('sign_in_failures', {
  username: varchar('username', { length: 64 }).primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
