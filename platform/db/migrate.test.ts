import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { courts } from '../courts.sql.ts';
import { createLogger } from '../logger.ts';
import { openDatabase, type Database } from './client.ts';
import { migrationSets, repoRoot } from './migration-sets.ts';

function journalEntries(folder: string): number {
  return (JSON.parse(readFileSync(join(repoRoot, folder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
}

const logger = createLogger({ level: 'silent', pretty: false });

/** The same checks run on PostgreSQL and on embedded PGlite. */
async function checkMigrations(open: () => Promise<Database>) {
  const first = await open();
  await first.migrate();
  await first.migrate(); // a second run applies nothing and fails nothing
  await first.db.insert(courts).values({ code: 'J0811', name: '测试市中级人民法院' });
  const applied = await first.db.execute(sql`select count(*)::int as n from drizzle.platform_migrations`);
  expect(applied.rows[0]?.n).toBe(journalEntries('platform/migrations'));
  await first.close();

  const again = await open();
  await again.migrate();
  const rows = await again.db.select().from(courts);
  expect(rows.map((r) => [r.code, r.name])).toEqual([['J0811', '测试市中级人民法院']]);
  await expect(again.db.insert(courts).values({ code: 'J0811', name: 'dup' })).rejects.toThrow();
  await again.close();
}

describe('migrations', () => {
  it('apply to an empty PostgreSQL database, once, and keep data', async () => {
    const url = await useTestDatabase({ migrated: false });
    await checkMigrations(() => openDatabase({ url, poolSize: 2, dataDir: '', logger }));
  });

  it('apply to the embedded PGlite database in the data directory, once, and keep data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hotline-pglite-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
    await checkMigrations(() => openDatabase({ poolSize: 1, dataDir, logger }));
  });

  it('are committed for every capability that owns tables (drizzle-kit finds nothing new to generate)', async () => {
    const run = promisify(execFile);
    const result = await run(join(repoRoot, 'node_modules/.bin/tsx'), ['platform/db/generate-migrations.ts', '--check'], { cwd: repoRoot }).catch(
      (err: { stderr: string; code: number }) => ({ stderr: err.stderr, code: err.code }),
    );
    expect('code' in result ? result.stderr : '').toBe('');
    expect(migrationSets.length).toBeGreaterThan(0);
  });
});
