import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleEntry } from '../../platform/build-server.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useTcpProxy } from '../../test/harness/tcp-proxy.ts';

// The journal in a real process, killed with SIGKILL at many moments while it appends records: with PostgreSQL
// cut (through a relay) and with it up. Every record the process had accepted when it died must be in the
// database exactly once after PostgreSQL returns and the next run writes its log back.
const url = new URL(await useTestDatabase());
const proxy = await useTcpProxy(url.hostname, Number(url.port || 5432));
const proxied = new URL(url);
proxied.port = String(proxy.port);
const direct = new pg.Client({ connectionString: url.toString() });
await direct.connect();
afterAll(() => direct.end());
const dir = mkdtempSync(join(tmpdir(), 'journal-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writer = await bundleEntry('telephony/records/test/journal-writer.ts', 'test');

interface Accepted {
  started: Set<string>;
  events: Set<string>;
  closed: Set<string>;
}

/** Runs the writer until `ms` have passed since it said ready (or until it exits), then SIGKILLs it. */
function run(ms: number, env: Record<string, string> = {}): Promise<string[]> {
  const child = spawn(process.execPath, ['--enable-source-maps', writer], {
    env: { PATH: process.env.PATH, DATABASE_URL: proxied.toString(), JOURNAL_DIR: dir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let killer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (!killer && out.startsWith('ready\n')) killer = setTimeout(() => child.kill('SIGKILL'), ms);
  });
  return new Promise((resolve) =>
    child.on('exit', () => {
      clearTimeout(killer);
      resolve(out.split('\n').filter((line) => line && line !== 'ready'));
    }),
  );
}

function collect(lines: string[], into: Accepted): void {
  for (const line of lines) {
    const [kind, id] = line.split(' ') as [string, string];
    if (kind === 'call_started') into.started.add(id);
    else if (kind === 'call_event') into.events.add(id);
    else if (kind === 'call_closed') into.closed.add(id);
  }
}

describe('the call journal killed with SIGKILL at any moment', () => {
  it('loses no record accepted before the kill, with PostgreSQL cut or up, and writes each exactly once', async () => {
    const accepted: Accepted = { started: new Set(), events: new Set(), closed: new Set() };
    // Cut, up, cut, cut, up, …: kills at different points of a write, of a failure and of a log drain.
    const plan = [true, true, false, true, false, true, true, false, true, false];
    let isCut = false;
    for (const [i, cut] of plan.entries()) {
      if (cut && !isCut) await proxy.cut();
      if (!cut && isCut) await proxy.restore();
      isCut = cut;
      collect(await run(150 + ((i * 97) % 300)), accepted);
    }
    expect(accepted.started.size).toBeGreaterThan(50);

    if (isCut) await proxy.restore();
    expect(await run(60_000, { JOURNAL_APPEND: '0' })).toEqual(['caught-up']);

    const ids = [...accepted.started];
    const rows = (await direct.query<{ id: string; n: number; closed: boolean }>(`select id, count(*)::int as n, bool_and(outcome is not null) as closed from telephony.calls where id = any($1) group by id`, [ids])).rows;
    expect(rows).toHaveLength(ids.length);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const closedNow = new Set(rows.filter((r) => r.closed).map((r) => r.id));
    expect([...accepted.closed].filter((id) => !closedNow.has(id))).toEqual([]);
    const events = (await direct.query<{ id: string }>(`select id from telephony.call_events where id = any($1)`, [[...accepted.events]])).rows;
    expect(events).toHaveLength(accepted.events.size);
    // Only what was accepted exists: no record twice (ids are unique), and none appears from nowhere.
    const all = (await direct.query<{ n: number }>(`select count(*)::int as n from telephony.calls`)).rows[0]!.n;
    expect(all).toBeGreaterThanOrEqual(ids.length);
  }, 120_000);
});
