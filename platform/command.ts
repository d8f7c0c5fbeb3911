import { ConfigError } from './config/load.ts';
import type { Config } from './config/schema.ts';
import { openDatabase, type Database } from './db/client.ts';
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
