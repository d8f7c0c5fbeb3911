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
 * plain `db.execute`. `name` must stand for one SQL text only. Resolves with the rows it returns.
 */
export async function executePrepared<Row extends Record<string, unknown> = Record<string, unknown>>(db: Db, name: string, query: SQL): Promise<Row[]> {
  const inner = db as unknown as WithInternals;
  if (!(inner.$client instanceof pg.Pool) || !inner.dialect) return (await db.execute<Row>(query)).rows as Row[];
  const { sql: text, params } = inner.dialect.sqlToQuery(query);
  return (await inner.$client.query<Row>({ name, text, values: params })).rows;
}
