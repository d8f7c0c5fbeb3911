import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { ensureMonthPartitions } from './partitions.ts';

const url = await useTestDatabase();
const database = await openDatabase({ url, poolSize: 2, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
afterAll(() => database.close());
const pgc = new pg.Client({ connectionString: url });
await pgc.connect();
afterAll(() => pgc.end());

const partitionsOf = async (table: string) =>
  (await pgc.query(`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent join pg_namespace n on n.oid = p.relnamespace where n.nspname = 'telephony' and p.relname = $1 order by 1`, [table])).rows.map((r) => r.relname as string);

describe('monthly partitions of calls and call events', () => {
  it('keeps last month to three months ahead ready, idempotently, and rows land in their month', async () => {
    const made = await ensureMonthPartitions(database.db, createLogger({ level: 'silent', pretty: false }), new Date('2026-11-21T08:00:00Z'));
    expect(made).toBe(10);
    expect(await partitionsOf('calls')).toEqual(['calls_default', 'calls_y2026m10', 'calls_y2026m11', 'calls_y2026m12', 'calls_y2027m01', 'calls_y2027m02']);
    expect(await partitionsOf('call_events')).toHaveLength(6);
    expect(await ensureMonthPartitions(database.db, createLogger({ level: 'silent', pretty: false }), new Date('2026-11-30T23:00:00Z'))).toBe(0);

    const id = randomUUID();
    await pgc.query(`insert into telephony.calls (id, channel_id, caller_number, dialled, arrived_at) values ($1, 'ch', '1', '12368', '2026-12-31T23:59:59Z'), ($2, 'ch2', '1', '12368', '2020-01-01T00:00:00Z')`, [id, randomUUID()]);
    const where = (await pgc.query(`select tableoid::regclass::text as part, id from telephony.calls order by arrived_at`)).rows;
    expect(where.map((r) => r.part)).toEqual(['telephony.calls_default', 'telephony.calls_y2026m12']);
    // The primary key still refuses the same call twice, across the parent.
    await expect(pgc.query(`insert into telephony.calls (id, channel_id, caller_number, dialled, arrived_at) values ($1, 'ch', '1', '12368', '2026-12-31T23:59:59Z')`, [id])).rejects.toThrow(/duplicate key/);
    const plan = (await pgc.query(`explain select count(*) from telephony.calls where arrived_at >= '2026-12-01' and arrived_at < '2027-01-01'`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('calls_y2026m12');
    expect(plan).not.toContain('calls_y2026m11');
  });
});
