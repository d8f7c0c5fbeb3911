import { spawnSync } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { users } from '../../platform/directory.sql.ts';
import { createLogger } from '../../platform/logger.ts';
import { join } from 'node:path';
import { call, useApi } from '../testing/fixtures.ts';
import { warnWhenNoAdmin } from './first-admin-notice.ts';

const api = await useApi();
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

describe('first-admin bootstrap', () => {
  it('says how to create the first admin when nobody can sign in as one, and not afterwards', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', pretty: false }).child({});
    const capture = Object.assign(Object.create(logger), { warn: (obj: { fix: string }, msg: string) => lines.push(`${msg} ${obj.fix}`) });
    expect(await warnWhenNoAdmin(api.deps.db, capture)).toBe(true);
    expect(lines.join()).toContain('npm run admin:create');
  });

  it('creates a court and an admin from the command line with a generated password, who can then sign in', async () => {
    const databaseUrl = api.deps.config.database.url!;
    const result = spawnSync(tsx, ['api/bootstrap/cli.ts', '--court-code', 'J0811', '--court-name', '某某市中级人民法院', '--username', 'first-admin', '--display-name', '管理员'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, HOTLINE_ADMIN_PASSWORD: '' },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const password = /Password \(shown once.*\): (\S+)/.exec(result.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(16);
    const signIn = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: 'first-admin', password } });
    expect(signIn.status).toBe(200);
    expect(signIn.body.role).toBe('admin');
    expect(await warnWhenNoAdmin(api.deps.db, createLogger({ level: 'silent', pretty: false }))).toBe(false);

    const again = spawnSync(tsx, ['api/bootstrap/cli.ts', '--court-code', 'J0811', '--court-name', 'x', '--username', 'first-admin', '--display-name', 'x'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, HOTLINE_ADMIN_PASSWORD: 'a chosen password' },
      encoding: 'utf8',
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('taken');
    expect(await api.deps.db.select().from(users).where(eq(users.username, 'first-admin'))).toHaveLength(1);
  });

  it('refuses to run without the required options', () => {
    const result = spawnSync(tsx, ['api/bootstrap/cli.ts', '--username', 'x'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: npm run admin:create');
  });
});
