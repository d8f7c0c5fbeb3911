import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from './client.ts';

interface WithInternals {
  $client?: unknown;
  dialect?: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
}

/**
 * Runs a statement that is sent many times a second (the call journal's batch inserts) as a named prepared
 * statement on PostgreSQL: each pooled connection parses and plans it once, instead of on every execution,
 * which cost the database as much as the inserts themselves. On PGlite or inside a transaction it is a
 * plain `db.execute`. `name` must stand for one SQL text only.
 */
export async function executePrepared(db: Db, name: string, query: SQL): Promise<void> {
  const inner = db as unknown as WithInternals;
  if (!(inner.$client instanceof pg.Pool) || !inner.dialect) {
    await db.execute(query);
    return;
  }
  const { sql: text, params } = inner.dialect.sqlToQuery(query);
  await inner.$client.query({ name, text, values: params });
}
