/**
 * Who holds the embedded database. PGlite is one process's database: a second process opening the same files would
 * corrupt them. The holder creates `<dataDir>/pglite.owner.json` (mode 0600, created exclusively, so of two
 * processes starting at once one wins) with its pid, the kernel's start time of that pid and, once it answers HTTP,
 * its local address and a token for the local commands (api/bootstrap/local-control.ts); command-line tools read it
 * to go through the running hotline instead of opening the files (PostgreSQL's postmaster.pid plays the same part).
 * A file whose process is gone, or whose pid now belongs to another process (a recycled pid after a crash or a
 * reboot), is stale and taken over; a file that cannot be read is never taken for "free".
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { holderAlive, processStart } from '../process-claim.ts';

export interface EmbeddedOwner {
  pid: number;
  /** The pid's start time as the kernel counts it (/proc/<pid>/stat), to tell a recycled pid; null off Linux. */
  processStart: string | null;
  startedAt: string;
  /** The holder's HTTP address for local commands, once it listens. */
  url?: string;
  /** Bearer token the local commands present (random per start). */
  token?: string;
}

export class EmbeddedDatabaseHeld extends Error {
  override name = 'EmbeddedDatabaseHeld';
  constructor(readonly owner: EmbeddedOwner, dir: string) {
    super(
      `the embedded database in ${dir} is in use by process ${owner.pid} (started ${owner.startedAt}): only one process may open it. ` +
        'Stop that process first, or set DATABASE_URL to use PostgreSQL, which many processes share.',
    );
  }
}

const ownerFile = (dataDir: string) => join(dataDir, 'pglite.owner.json');
/** Data dirs whose database this process has open: a second open in one process is refused without the file. */
const openHere = new Set<string>();

const alive = (owner: EmbeddedOwner) => holderAlive(owner.pid, owner.processStart);

/** The file's owner as written, null when there is no file; throws when it exists but cannot be read as one. */
function readOwner(dataDir: string): EmbeddedOwner | null {
  let text: string;
  try {
    text = readFileSync(ownerFile(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const owner = JSON.parse(text) as EmbeddedOwner;
    if (Number.isInteger(owner.pid) && owner.pid > 0) return owner;
  } catch {
    // falls through
  }
  throw new Error(`${ownerFile(dataDir)} cannot be read as the embedded database's owner: if no hotline is running on this data dir, delete it`);
}

/** The live holder of the embedded database in this data dir, or null (no file, or a stale one). */
export function liveOwner(dataDir: string): EmbeddedOwner | null {
  const owner = readOwner(dataDir);
  return owner && alive(owner) ? owner : null;
}

/**
 * Claims the embedded database for this process, or throws EmbeddedDatabaseHeld naming the live holder (this
 * process too: a second open in one process would corrupt it as surely). Returns the release function.
 */
export function claimEmbeddedDatabase(dataDir: string, dir: string): () => void {
  const self: EmbeddedOwner = { pid: process.pid, processStart: processStart(process.pid), startedAt: new Date().toISOString() };
  if (openHere.has(dataDir)) throw new EmbeddedDatabaseHeld(readOwner(dataDir) ?? self, dir);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(ownerFile(dataDir), `${JSON.stringify(self)}\n`, { mode: 0o600, flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(dataDir);
    // Our own pid in the file but not open here: a recycled pid of an earlier run, stale like any dead holder.
    const stale = owner === null || (owner.pid === process.pid ? true : !alive(owner));
    if (!stale || attempt > 0) throw new EmbeddedDatabaseHeld(owner ?? self, dir);
    rmSync(ownerFile(dataDir), { force: true });
  }
  openHere.add(dataDir);
  return () => {
    openHere.delete(dataDir);
    try {
      if (readOwner(dataDir)?.pid === process.pid) rmSync(ownerFile(dataDir), { force: true });
    } catch {
      // Unreadable or gone: not ours to remove.
    }
  };
}

/** Adds this process's local HTTP address and command token to its owner file (it must hold the database). */
export function publishLocalAddress(dataDir: string, address: { url: string; token: string }): void {
  const owner = readOwner(dataDir);
  if (!openHere.has(dataDir) || owner?.pid !== process.pid) throw new Error(`this process does not hold the embedded database in ${dataDir}`);
  // Replaced whole (write, then rename): a command reading it meanwhile sees the old file or the new one, never half.
  const next = `${ownerFile(dataDir)}.${process.pid}.tmp`;
  writeFileSync(next, `${JSON.stringify({ ...owner, ...address })}\n`, { mode: 0o600 });
  renameSync(next, ownerFile(dataDir));
}
