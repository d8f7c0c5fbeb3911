/**
 * A directory one process at a time may write (the call-record spool): `<dir>/owner.pid` names the process that
 * holds it (pid and the kernel's start time of that pid). A second live process is refused with a clear error instead
 * of both appending to and cutting the same files; a file left by a process that is gone (kill -9, a crash), or whose
 * pid now belongs to another process (recycled after a reboot), is stale and taken over. The same process may claim
 * again (a restart inside one process, as the tests do). The liveness test is shared with the embedded database's
 * owner file (db/embedded-owner.ts).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DirectoryHeld extends Error {
  override name = 'DirectoryHeld';
}

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), or null where there is no /proc. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether the process that wrote `pid` (and, where known, its start time) is still running: EPERM counts as alive
 * (another user's), a pid recycled since by another process does not.
 */
export function holderAlive(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStart(pid);
  return start === null || now === null || now === start;
}

export function claimDirectory(dir: string, what: string): () => void {
  const file = join(dir, 'owner.pid');
  const holder = holderOf(file);
  if (holder !== null && holder.pid !== process.pid && holderAlive(holder.pid, holder.start)) {
    throw new DirectoryHeld(`${what} in ${dir} is in use by process ${holder.pid}: give each hotline process its own HOTLINE_DATA_DIR`);
  }
  writeFileSync(file, `${process.pid} ${processStart(process.pid) ?? ''}\n`);
  return () => {
    if (holderOf(file)?.pid === process.pid) rmSync(file, { force: true });
  };
}

function holderOf(file: string): { pid: number; start: string | null } | null {
  try {
    const [pidText, start] = readFileSync(file, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    return Number.isInteger(pid) && pid > 0 ? { pid, start: start || null } : null;
  } catch {
    return null;
  }
}
