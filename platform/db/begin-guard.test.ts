import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { releaseClientsOnFailedBegin } from './begin-guard.ts';

const url = await useTestDatabase({ migrated: false });

/** A one-client pool whose first checked-out client has lost its connection (as after a database restart). */
function poolWithDeadClient(guarded: boolean) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  if (guarded) releaseClientsOnFailedBegin(pool);
  let dead: pg.PoolClient | undefined;
  pool.on('acquire', (client) => {
    client.on('error', () => undefined);
    if (dead) return;
    dead = client;
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  });
  onTestFinished(async () => {
    // pool.end() waits for every client given out: give back the one drizzle kept, if it did.
    if (pool.totalCount > pool.idleCount) dead?.release(new Error('test over'));
    await pool.end();
  });
  return { pool, db: drizzle(pool) };
}

describe('a transaction whose BEGIN fails on a dead connection', () => {
  it('gives its client back, so the pool goes on with a fresh connection', async () => {
    const { pool, db } = poolWithDeadClient(true);
    await expect(db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    expect(pool.totalCount).toBe(0); // the dead client is gone from the pool
    const [row] = (await db.execute<{ answer: number }>(sql`select 42 as answer`)).rows;
    expect(row!.answer).toBe(42);
    expect(await db.transaction(async (tx) => (await tx.execute<{ n: number }>(sql`select 7 as n`)).rows[0]!.n)).toBe(7);
    expect(pool.totalCount).toBe(1);
  });

  it('without the guard, drizzle keeps the dead client checked out: the one-client pool has nothing left to give (why the guard exists)', async () => {
    const { pool, db } = poolWithDeadClient(false);
    await expect(db.transaction(async (tx) => tx.execute(sql`select 1`))).rejects.toThrow();
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 1, idle: 0 });
  });
});
