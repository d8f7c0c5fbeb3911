/**
 * A directory one process at a time may write (the call-record spool): `<dir>/owner.pid` names the process that
 * holds it. A second live process is refused with a clear error instead of both appending to and cutting the same
 * files; a file left by a process that is gone (kill -9, a crash) is stale and taken over. The same process may
 * claim again (a restart inside one process, as the tests do).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from './redis/private-server.ts';

export class DirectoryHeld extends Error {
  override name = 'DirectoryHeld';
}

export function claimDirectory(dir: string, what: string): () => void {
  const file = join(dir, 'owner.pid');
  const holder = holderOf(file);
  if (holder !== null && holder !== process.pid && processAlive(holder)) {
    throw new DirectoryHeld(`${what} in ${dir} is in use by process ${holder}: give each hotline process its own HOTLINE_DATA_DIR`);
  }
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (holderOf(file) === process.pid) rmSync(file, { force: true });
  };
}

function holderOf(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
