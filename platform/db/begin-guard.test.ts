import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { releaseClientsOnFailedBegin } from './begin-guard.ts';

/** A one-client pool whose next checked-out client has lost its connection (as after a database restart). */
async function poolWithDeadClient(url: string, guarded: boolean) {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 1000 });
  afterAll(() => pool.end());
  pool.on('error', () => undefined);
  if (guarded) releaseClientsOnFailedBegin(pool);
  let sabotage = true;
  pool.on('acquire', (client) => {
    client.on('error', () => undefined);
    if (!sabotage) return;
    sabotage = false;
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  });
  return { pool, db: drizzle(pool) };
}

describe('a transaction whose BEGIN fails on a dead connection', () => {
  it('gives its client back, so the pool goes on with a fresh connection', async () => {
    const { pool, db } = await poolWithDeadClient(await useTestDatabase({ migrated: false }), true);
    await expect(db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    const [row] = (await db.execute<{ answer: number }>(sql`select 42 as answer`)).rows;
    expect(row!.answer).toBe(42);
    expect(await db.transaction(async (tx) => (await tx.execute<{ n: number }>(sql`select 7 as n`)).rows[0]!.n)).toBe(7);
    expect(pool.totalCount).toBe(1);
  });

  it('without the guard, drizzle keeps the dead client and the one-client pool can serve nothing more (why the guard exists)', async () => {
    const { db } = await poolWithDeadClient(await useTestDatabase({ migrated: false }), false);
    await expect(db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    await expect(db.execute(sql`select 1`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/timeout/i) } });
  });
});
