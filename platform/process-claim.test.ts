import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimDirectory, DirectoryHeld } from './process-claim.ts';

const dir = mkdtempSync(join(tmpdir(), 'hotline-claim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one process at a time in a directory', () => {
  it('refuses a directory a live process holds, naming it and the fix', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'owner.pid'), `${other.pid}\n`);
      expect(() => claimDirectory(dir, 'the call-record spool')).toThrow(DirectoryHeld);
      expect(() => claimDirectory(dir, 'the call-record spool')).toThrow(`the call-record spool in ${dir} is in use by process ${other.pid}: give each hotline process its own HOTLINE_DATA_DIR`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.on('exit', resolve));
    }
    // Still alive, but the file names another start time: the pid was recycled since (after a crash or a reboot).
    {
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
      try {
        writeFileSync(join(dir, 'owner.pid'), `${other.pid} 1\n`);
        claimDirectory(dir, 'the call-record spool')();
      } finally {
        other.kill('SIGKILL');
        await new Promise((resolve) => other.on('exit', resolve));
      }
    }
    // That process is gone (as after kill -9): its file is stale and taken over.
    const release = claimDirectory(dir, 'the call-record spool');
    expect(existsSync(join(dir, 'owner.pid'))).toBe(true);
    // The same process may claim again (a restart inside one process); releasing removes the file.
    claimDirectory(dir, 'the call-record spool')();
    release();
    expect(existsSync(join(dir, 'owner.pid'))).toBe(false);
  });
});
