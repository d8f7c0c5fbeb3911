import { pgSchema } from 'drizzle-orm/pg-core';

/** The api capability's own tables (credentials, sessions, lockout, audit) live in the `api` schema. */
export const apiSchema = pgSchema('api');
