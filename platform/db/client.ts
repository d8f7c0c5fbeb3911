import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { sql } from 'drizzle-orm';
import type { MigrationConfig } from 'drizzle-orm/migrator';
import type { Assume } from 'drizzle-orm/utils';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { releaseClientsOnFailedBegin } from './begin-guard.ts';
import { claimEmbeddedDatabase } from './embedded-owner.ts';
import { listenPglite, listenPostgres, type Listen } from './notifications.ts';
import { migrationSets, repoRoot } from './migration-sets.ts';

/** What db.execute() returns on both drivers: node-postgres and PGlite results both carry `rows`. */
export interface RowsResultHKT extends PgQueryResultHKT {
  type: RowsResult<Assume<this['row'], Record<string, unknown>>>;
}

export interface RowsResult<Row> {
  rows: Row[];
}

/** The database every capability receives: drizzle over PostgreSQL, whichever driver is underneath. */
export type Db = PgDatabase<RowsResultHKT>;
/** A transaction of Db, for writes that must land together. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Applies every capability's committed migrations, in order. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a query, rejects otherwise. */
  ping(): Promise<void>;
  /** Subscribes to a NOTIFY channel (notifications.ts). */
  listen: Listen;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  poolSize: number;
  dataDir: string;
  logger: Logger;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

function openPostgres(url: string, { poolSize, logger }: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client losing its server emits 'error'; without a listener that would kill the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'database connection lost'));
  // A checked-out client (e.g. inside a transaction) losing its server also emits 'error', outside the pool's listener.
  pool.on('connect', (client) => client.on('error', (err) => logger.warn({ err: err.message }, 'database connection lost')));
  releaseClientsOnFailedBegin(pool);
  const db = drizzlePg(pool);
  return wrap(db as unknown as Db, 'postgres', (config) => migratePg(db, config), () => pool.end(), listenPostgres(url, logger));
}

/**
 * The embedded database, loaded only here: a process given DATABASE_URL (every production role) never parses
 * PGlite's modules, which a full garbage collection would otherwise mark for the process's whole life.
 */
async function openPglite({ dataDir, logger }: DatabaseOptions): Promise<Database> {
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const dir = resolve(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  logger.info({ dir }, 'no DATABASE_URL set: using the embedded PGlite database');
  const release = claimEmbeddedDatabase(resolve(dataDir), dir);
  let client: PGlite;
  try {
    client = await PGlite.create(dir);
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite(client);
  const close = async () => {
    try {
      await client.close();
    } finally {
      release();
    }
  };
  return wrap(db as unknown as Db, 'pglite', (config) => migratePglite(db, config), close, listenPglite(client));
}

function wrap(db: Db, kind: Database['kind'], migrateSet: (config: MigrationConfig) => Promise<void>, close: () => Promise<void>, listen: Listen): Database {
  return {
    db,
    kind,
    listen,
    migrate: async () => {
      for (const set of migrationSets) {
        await migrateSet({
          migrationsFolder: join(repoRoot, set.folder),
          migrationsSchema: 'drizzle',
          migrationsTable: `${set.name}_migrations`,
        });
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close,
  };
}
