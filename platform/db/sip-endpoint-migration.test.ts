import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { repoRoot } from './migration-sets.ts';

/** Runs one migration file's statements, as drizzle's migrator splits them. */
async function apply(client: pg.Client, file: string): Promise<void> {
  for (const statement of readFileSync(join(repoRoot, 'platform/migrations', file), 'utf8').split('--> statement-breakpoint')) {
    if (statement.trim()) await client.query(statement);
  }
}

describe('the migration that makes softphone endpoints unique', () => {
  it('migrates a database where two courts’ users share an endpoint: the earliest keeps it, the later is renamed and listed', async () => {
    const client = new pg.Client({ connectionString: await useTestDatabase({ migrated: false }) });
    await client.connect();
    afterFile(() => client.end());
    await apply(client, '0000_courts.sql');
    await apply(client, '0001_directory.sql');
    const court = async (code: string) => (await client.query(`insert into platform.courts (code, name) values ($1, $2) returning id`, [code, code])).rows[0].id as string;
    const [a, b] = [await court('A01'), await court('B01')];
    const user = async (courtId: string, username: string, endpoint: string | null, at: string) =>
      (await client.query(`insert into platform.users (court_id, username, display_name, role, sip_endpoint, created_at) values ($1, $2, $3, 'operator', $4, $5) returning id`, [courtId, username, username, endpoint, at])).rows[0].id as string;
    const first = await user(b, 'b-op', 'op1001', '2026-01-01T00:00:00Z');
    const takeover = await user(a, 'a-op', 'op1001', '2026-02-01T00:00:00Z');
    const sameCourt = await user(b, 'b-op2', 'op1001', '2026-03-01T00:00:00Z');
    await user(a, 'a-alone', 'op2001', '2026-01-01T00:00:00Z');
    await user(a, 'a-none', null, '2026-01-01T00:00:00Z');
    await user(b, 'b-none', null, '2026-01-01T00:00:00Z');

    await apply(client, '0002_sip_endpoint_unique.sql');

    const endpoints = Object.fromEntries((await client.query(`select username, sip_endpoint from platform.users`)).rows.map((r) => [r.username, r.sip_endpoint]));
    expect(endpoints['b-op']).toBe('op1001');
    expect(endpoints['a-op']).toBe(`op1001-${takeover.replace(/-/g, '').slice(0, 8)}`);
    expect(endpoints['b-op2']).toBe(`op1001-${sameCourt.replace(/-/g, '').slice(0, 8)}`);
    expect(endpoints['a-alone']).toBe('op2001');
    expect(endpoints['a-none']).toBeNull();
    const renames = (await client.query(`select user_id, court_id, from_endpoint, to_endpoint, confirmed_at from platform.sip_endpoint_renames order by renamed_at, to_endpoint`)).rows;
    expect(renames.map((r) => r.user_id).sort()).toEqual([takeover, sameCourt].sort());
    expect(renames.find((r) => r.user_id === takeover)).toMatchObject({ court_id: a, from_endpoint: 'op1001', confirmed_at: null });
    expect(renames.some((r) => r.user_id === first)).toBe(false);
    await expect(client.query(`update platform.users set sip_endpoint = 'op1001' where id = $1`, [takeover])).rejects.toThrow(/users_sip_endpoint/);
  });
});
