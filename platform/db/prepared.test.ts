import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './client.ts';
import { executePrepared } from './prepared.ts';

const logger = createLogger({ level: 'silent', pretty: false });

describe('executePrepared', () => {
  it('runs a statement as a named prepared statement on PostgreSQL, with its parameters, once parsed per connection', async () => {
    const database = await openDatabase({ url: await useTestDatabase(), poolSize: 1, dataDir: '', logger });
    afterAll(() => database.close());
    await database.db.execute(sql`create temporary table prepared_probe (n int, label text)`);
    for (const n of [1, 2, 3]) await executePrepared(database.db, 'probe-insert', sql`insert into prepared_probe (n, label) values (${n}, ${`row ${n}`})`);
    const rows = await database.db.execute<{ n: number; label: string }>(sql`select n, label from prepared_probe order by n`);
    expect(rows.rows).toEqual([
      { n: 1, label: 'row 1' },
      { n: 2, label: 'row 2' },
      { n: 3, label: 'row 3' },
    ]);
    const prepared = await database.db.execute<{ name: string }>(sql`select name from pg_prepared_statements`);
    expect(prepared.rows.map((r) => r.name)).toEqual(['probe-insert']);
  });

  it('inside a transaction it is a plain statement of that transaction', async () => {
    const database = await openDatabase({ url: await useTestDatabase(), poolSize: 1, dataDir: '', logger });
    afterAll(() => database.close());
    await database.db.execute(sql`create temporary table prepared_tx (n int)`);
    await database.db
      .transaction(async (tx) => {
        await executePrepared(tx as never, 'probe-tx', sql`insert into prepared_tx (n) values (${7})`);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from prepared_tx`)).rows[0]?.n).toBe(0);
  });
});
