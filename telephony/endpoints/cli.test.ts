import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { afterFile } from '../../test/harness/after-file.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { sipPasswordDigest } from './sip-password-seal.ts';

/** `npm run telephony:endpoints`: issues random passwords, writes only their digests, rotates a desk phone's. */
const databaseUrl = await useTestDatabase();
const dir = mkdtempSync(join(tmpdir(), 'hotline-endpoints-'));
afterFile(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(join(repoRoot, 'node_modules/.bin/tsx'), ['telephony/endpoints/cli.ts', '--dir', dir, ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, HOTLINE_SIP_PASSWORD_SECRET: 'endpoints-cli-test-secret-01', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const deskPassword = (out: string) => /^ext-8001\t(\S+)\t/m.exec(out)?.[1];

describe('telephony:endpoints', () => {
  it('writes digests of random passwords, and --rotate gives a desk phone a new one', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const court = (await client.query(`insert into platform.courts (code, name) values ('CLI1', 'cli court') returning id`)).rows[0].id;
      await client.query(`insert into platform.users (court_id, username, display_name, role, extension) values ($1, 'judge-cli', 'judge', 'judge', '8001')`, [court]);
      await client.query(`insert into platform.users (court_id, username, display_name, role, sip_endpoint) values ($1, 'op-cli', 'op', 'operator', 'CLI1-op-cli')`, [court]);
    } finally {
      await client.end();
    }

    const first = run('--passwords');
    expect(first.status, first.out).toBe(0);
    const password = deskPassword(first.out)!;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const file = readFileSync(join(dir, 'pjsip_hotline_users.conf'), 'utf8');
    expect(file).toContain(`password_digest = ${sipPasswordDigest('ext-8001', password)}`);
    expect(file).not.toContain(password);
    expect(file).toMatch(/\[CLI1-op-cli\]\(operator-auth\)\nauth_type = digest\nrealm = hotline\nusername = CLI1-op-cli\npassword_digest = MD5:[0-9a-f]{32}\n/);

    expect(deskPassword(run('--passwords').out)).toBe(password); // kept between runs
    const rotated = run('--rotate', 'ext-8001', '--passwords');
    expect(rotated.status, rotated.out).toBe(0);
    expect(deskPassword(rotated.out)).not.toBe(password);
    expect(run('--rotate', 'CLI1-op-cli').status).toBe(2); // an operator's is rotated by their admin
  }, 120_000);
});
