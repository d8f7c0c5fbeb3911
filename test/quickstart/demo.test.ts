/**
 * `npm run demo` (demo.ts), as a person starts it: the stand-in and the hotline on matching credentials, the sample
 * court's users with printed passwords that sign in, and callers reaching the simulated operators.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../agent-ui/build.ts';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { freePort } from '../harness/net.ts';
import { testRedisUrl, useRedisPrefix } from '../harness/redis.ts';

let demo: ChildProcess;
let output = '';
let dir = '';
let base = '';

beforeAll(async () => {
  await buildConsole();
  dir = mkdtempSync(join(tmpdir(), 'hotline-demo-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  demo = spawn(join(repoRoot, 'node_modules/.bin/tsx'), [join(repoRoot, 'demo.ts')], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOTLINE_PORT: String(port), REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', REDIS_PREFIX: useRedisPrefix(), DEMO_CALLS_PER_MINUTE: '120', TELEPHONY_FALLBACK_CDR_FILE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout!.on('data', (d) => (output += d));
  demo.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Stop with Ctrl+C') && Date.now() < deadline && demo.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  expect(output).toContain('Stop with Ctrl+C');
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const passwordOf = (username: string) => new RegExp(`^\\s+${username}\\s+(\\S+)`, 'm').exec(output)?.[1];

async function signIn(username: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: passwordOf(username) }) });
  expect(response.status, `${username} signs in with the printed password`).toBe(200);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('npm run demo', () => {
  it('says which URL to open and prints a user of every role whose password signs in', async () => {
    expect(output).toContain(`Open ${base}/`);
    for (const username of ['demo-admin', 'demo-manager', 'demo-operator', 'demo-head', 'demo-judge']) {
      expect(passwordOf(username)).toMatch(/^\S{20}$/);
      await signIn(username);
    }
  });

  it('runs on the stand-in with matching credentials: ARI is ready and callers reach the simulated operators', async () => {
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { checks: { ari: unknown } };
    expect(ready.checks.ari).toMatchObject({ ok: true });
    const cookie = await signIn('demo-manager');
    await expect
      .poll(
        async () => {
          const queue = (await (await fetch(`${base}/api/telephony/queue`, { headers: { cookie } })).json()) as { operators: Array<{ state: string }> };
          return queue.operators.some((o) => o.state === 'on_call');
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
  }, 40_000);

  it('stops on SIGTERM and reports the calls it placed', async () => {
    const exited = new Promise<number | null>((resolve) => demo.on('exit', resolve));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stats = JSON.parse(/demo calls: (\{.*\})/.exec(output)?.[1] ?? '{}');
    expect(stats.placed).toBeGreaterThan(0);
  }, 30_000);
});
