/**
 * The README's quick start, in its order, on a new data directory: `npm start` (the compiled server, as prestart
 * builds it) on the embedded database, then `npm run admin:create` and `npm run knowledge:import` while it runs,
 * then signing in with the printed password. The commands go through the running hotline, which holds the
 * embedded database (api/bootstrap/local-control.ts); a second server on the same files is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry } from '../../platform/build-server.ts';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { serverNodeFlags } from '../../platform/runtime/node-flags.ts';
import { freePort } from '../harness/net.ts';
import { testRedisUrl, useRedisPrefix } from '../harness/redis.ts';

const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const readmeAdmin = ['--court-code', 'J0811', '--court-name', '某某市人民法院', '--username', 'admin', '--display-name', '系统管理员'];

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the README quick start, in order', () => {
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  let mainJs = '';
  let server: ChildProcess | null = null;
  let serverOutput = '';
  let base = '';

  beforeAll(async () => {
    mainJs = await bundleEntry('main.ts');
    dir = mkdtempSync(join(tmpdir(), 'hotline-quickstart-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The README's defaults, but this machine's test Redis under a prefix of this file's own, and ARI on a port
    // where nothing answers (no Asterisk needed to follow the quick start).
    env = { PATH: process.env.PATH, HOME: process.env.HOME, HOTLINE_PORT: String(port), REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', REDIS_PREFIX: useRedisPrefix(), ARI_URL: `http://127.0.0.1:${await freePort()}`, TELEPHONY_FALLBACK_CDR_FILE: '' };
    server = spawn(process.execPath, [...serverNodeFlags, mainJs], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d) => (serverOutput += d));
    server.stderr!.on('data', (d) => (serverOutput += d));
    const deadline = Date.now() + 100_000;
    while (!serverOutput.includes('hotline ready') && Date.now() < deadline && server.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(serverOutput).toContain('hotline ready');
  }, 150_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.on('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('first start, with no admin, says how to make one', () => {
    expect(serverOutput).toContain('no admin can sign in yet');
    expect(serverOutput).toContain('npm run admin:create');
  });

  it('admin:create while the hotline runs goes through it, and the printed password signs in at once', async () => {
    const created = await run(tsx, [join(repoRoot, 'api/bootstrap/cli.ts'), ...readmeAdmin], dir, env);
    expect(created.output).toContain('through the running hotline');
    expect(created.code).toBe(0);
    const password = /Password \(shown once[^)]*\): (\S+)/.exec(created.output)?.[1];
    expect(password).toBeTruthy();

    const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject({ role: 'admin', username: 'admin' });

    // The same command again: refused with the reason, nothing created.
    const again = await run(tsx, [join(repoRoot, 'api/bootstrap/cli.ts'), ...readmeAdmin], dir, env);
    expect(again.code).toBe(1);
    expect(again.output).toContain('the username "admin" is taken');
  }, 60_000);

  it('knowledge:import while the hotline runs loads the starter entries naming this court', async () => {
    const imported = await run(tsx, [join(repoRoot, 'api/knowledge/import-cli.ts'), '--court-code', 'J0811'], dir, env);
    expect(imported.output).toContain('through the running hotline');
    expect(imported.code).toBe(0);
    expect(imported.output).toMatch(/Knowledge base of J0811: [1-9]\d* entries added/);

    const missing = await run(tsx, [join(repoRoot, 'api/knowledge/import-cli.ts'), '--court-code', 'NOPE'], dir, env);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('No court with code NOPE');
  }, 60_000);

  it('the local command routes answer only the token in the owner file', async () => {
    const body = JSON.stringify({ courtCode: 'J0811', courtName: '某某市人民法院', username: 'intruder', displayName: '入侵者' });
    const noToken = await fetch(`${base}/api/local/admin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(noToken.status).toBe(403);
    const wrongToken = await fetch(`${base}/api/local/admin`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-token' }, body });
    expect(wrongToken.status).toBe(403);
    const owner = JSON.parse(readFileSync(join(dir, 'data/pglite.owner.json'), 'utf8')) as { pid: number; url: string; token: string };
    expect(owner.pid).toBe(server!.pid);
    expect(owner.url).toBe(base);
    // It carries the token: this user's to read only.
    expect(statSync(join(dir, 'data/pglite.owner.json')).mode & 0o777).toBe(0o600);
  });

  it('a second hotline on the same embedded database is refused, naming the one that holds it', async () => {
    const second = await run(process.execPath, [mainJs], dir, { ...env, HOTLINE_PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`in use by process ${server!.pid}`);
  }, 60_000);

  it('with the hotline stopped, the command opens the database itself', async () => {
    const exited = new Promise((resolve) => server!.on('exit', resolve));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    const created = await run(tsx, [join(repoRoot, 'api/bootstrap/cli.ts'), '--court-code', 'J0811', '--court-name', '某某市人民法院', '--username', 'second-admin', '--display-name', '第二管理员'], dir, env);
    expect(created.code).toBe(0);
    expect(created.output).not.toContain('through the running hotline');
    expect(created.output).toContain('Using existing court J0811');
  }, 90_000);
});
