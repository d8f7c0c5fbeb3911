import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimEmbeddedDatabase, EmbeddedDatabaseHeld, liveOwner, publishLocalAddress } from './embedded-owner.ts';

const base = mkdtempSync(join(tmpdir(), 'hotline-owner-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const fresh = () => mkdtempSync(join(base, 'd-'));
const startOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};

async function withOtherProcess(run: (pid: number) => void | Promise<void>): Promise<void> {
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  try {
    await run(other.pid!);
  } finally {
    other.kill('SIGKILL');
    await new Promise((resolve) => other.on('exit', resolve));
  }
}

describe('the embedded database has one holder', () => {
  it('refuses a second open in the same process, and frees the database on release', () => {
    const dir = fresh();
    const release = claimEmbeddedDatabase(dir, 'pglite');
    expect(() => claimEmbeddedDatabase(dir, 'pglite')).toThrow(EmbeddedDatabaseHeld);
    expect(liveOwner(dir)?.pid).toBe(process.pid);
    release();
    expect(liveOwner(dir)).toBeNull();
    claimEmbeddedDatabase(dir, 'pglite')();
  });

  it('refuses while another live process holds it, and takes over once that process is gone', async () => {
    const dir = fresh();
    let holder = 0;
    await withOtherProcess((pid) => {
      holder = pid;
      writeFileSync(join(dir, 'pglite.owner.json'), JSON.stringify({ pid, processStart: startOf(pid), startedAt: 'then' }));
      expect(() => claimEmbeddedDatabase(dir, 'pglite')).toThrow(`in use by process ${pid}`);
    });
    expect(holder).toBeGreaterThan(0);
    const release = claimEmbeddedDatabase(dir, 'pglite');
    expect(liveOwner(dir)?.pid).toBe(process.pid);
    release();
  });

  it('treats a pid now used by another process (recycled after a crash) as stale, and its own old pid too', async () => {
    const dir = fresh();
    await withOtherProcess((pid) => {
      writeFileSync(join(dir, 'pglite.owner.json'), JSON.stringify({ pid, processStart: '1', startedAt: 'before the reboot' }));
      expect(liveOwner(dir)).toBeNull();
      claimEmbeddedDatabase(dir, 'pglite')();
    });
    writeFileSync(join(dir, 'pglite.owner.json'), JSON.stringify({ pid: process.pid, processStart: startOf(process.pid), startedAt: 'an earlier run with this pid' }));
    claimEmbeddedDatabase(dir, 'pglite')();
  });

  it('never takes an unreadable owner file for free', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'pglite.owner.json'), '{"pid": 12');
    expect(() => liveOwner(dir)).toThrow('cannot be read');
    expect(() => claimEmbeddedDatabase(dir, 'pglite')).toThrow('cannot be read');
  });

  it('publishes the local address whole, readable by this user only', () => {
    const dir = fresh();
    const release = claimEmbeddedDatabase(dir, 'pglite');
    publishLocalAddress(dir, { url: 'http://127.0.0.1:8368', token: 'secret-token' });
    expect(liveOwner(dir)).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:8368', token: 'secret-token' });
    expect(statSync(join(dir, 'pglite.owner.json')).mode & 0o777).toBe(0o600);
    release();
    expect(() => publishLocalAddress(dir, { url: 'x', token: 'y' })).toThrow('does not hold');
  });
});
