import { inject } from 'vitest';
import { afterFile } from './after-file.ts';
import { adminQuery, databaseUrl, uniqueName } from './postgres.ts';

/**
 * A PostgreSQL database of this test file's own, dropped after the file. `migrated` clones the
 * run's migrated template; otherwise the database is empty.
 */
export async function useTestDatabase({ migrated = true } = {}): Promise<string> {
  const name = uniqueName('hotline_t');
  const template = migrated ? inject('templateDatabase') : 'template0';
  await adminQuery(`create database ${name} template ${template}`);
  afterFile(async () => {
    await adminQuery(`drop database if exists ${name} with (force)`);
  });
  return databaseUrl(name);
}
