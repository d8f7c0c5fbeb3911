import { resolve } from 'node:path';
import { ConfigError } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { openDatabase, type Database } from './db/client.ts';
import { liveOwner } from './db/embedded-owner.ts';
import { createLogger } from './logger.ts';

/** The database for a command-line tool: the hotline's own (DATABASE_URL or the embedded one), one connection, quiet. */
export function openCommandDatabase(config: Config): Promise<Database> {
  return openDatabase({ url: config.database.url, poolSize: 1, dataDir: config.dataDir, logger: createLogger({ ...config.log, level: 'warn' }) });
}

/**
 * Runs a command's main and sets the process's exit code from it; a configuration error or a failure prints
 * its message (after `failurePrefix`) and exits 1.
 */
export async function runCommand(main: () => Promise<number>, failurePrefix = ''): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : failurePrefix ? `${failurePrefix}${(err as Error).message}` : err);
    process.exitCode = 1;
  }
}

/** The running hotline that holds the embedded database, reached over loopback with its local token. */
export interface RunningHotline {
  pid: number;
  url: string;
  /** POSTs a local command; resolves to the answer's JSON, or rejects with the hotline's own message. */
  post<T>(path: string, body: unknown): Promise<T>;
}

/**
 * With the embedded database (no DATABASE_URL) held by a live hotline, the way to reach it; null when the command
 * may open the database itself (PostgreSQL, or no one holds the embedded one). Throws when a live process holds the
 * embedded database but has not published an address (starting, or not serving HTTP): the command must not open
 * the files beside it.
 */
export function runningHotline(config: Config): RunningHotline | null {
  if (config.database.url) return null;
  const owner = liveOwner(resolve(config.dataDir));
  if (!owner) return null;
  const { url, token } = owner;
  if (!url || !token) {
    throw new Error(
      `the embedded database in ${resolve(config.dataDir, 'pglite')} is held by process ${owner.pid}, which does not answer local commands yet ` +
        '(still starting, or running without the api role): wait until it is ready and run this again, or stop it first.',
    );
  }
  return {
    pid: owner.pid,
    url,
    async post<T>(path: string, body: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetch(new URL(path, url), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        throw new Error(`the hotline (process ${owner.pid}) holds the embedded database but did not answer at ${url}: ${(err as Error).message}. Stop it and run this again.`);
      }
      const answer = (await response.json().catch(() => ({}))) as { message?: string };
      if (!response.ok) throw new Error(answer.message ?? `the hotline answered ${response.status}`);
      return answer as T;
    },
  };
}
