/**
 * Who holds the embedded database. PGlite is one process's database: a second process opening the same files would
 * corrupt them. The holder writes `<dataDir>/pglite.owner.json` (mode 0600) with its pid and, once it answers HTTP,
 * its local address and a token for the local commands (api/bootstrap/local-control.ts); command-line tools read it
 * to go through the running hotline instead of opening the files (PostgreSQL's postmaster.pid plays the same part).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddedOwner {
  pid: number;
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

/** The live holder of the embedded database in this data dir, or null (no file, or its process is gone). */
export function liveOwner(dataDir: string): EmbeddedOwner | null {
  let owner: EmbeddedOwner;
  try {
    owner = JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as EmbeddedOwner;
  } catch {
    return null;
  }
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return null;
  try {
    process.kill(owner.pid, 0);
    return owner;
  } catch (err) {
    // EPERM: alive, another user's. ESRCH: gone (a crash left the file; it is stale).
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? owner : null;
  }
}

/**
 * Claims the embedded database for this process, or throws EmbeddedDatabaseHeld naming the live holder (this
 * process too: a second open in one process would corrupt it as surely). Returns the release function.
 */
export function claimEmbeddedDatabase(dataDir: string, dir: string): () => void {
  const held = liveOwner(dataDir);
  if (held) throw new EmbeddedDatabaseHeld(held, dir);
  const owner: EmbeddedOwner = { pid: process.pid, startedAt: new Date().toISOString() };
  writeOwner(dataDir, owner);
  return () => {
    const now = liveOwner(dataDir);
    if (now?.pid === process.pid) rmSync(ownerFile(dataDir), { force: true });
  };
}

/** Adds this process's local HTTP address and command token to its owner file (it must hold the database). */
export function publishLocalAddress(dataDir: string, address: { url: string; token: string }): void {
  const owner = liveOwner(dataDir);
  if (owner?.pid !== process.pid) throw new Error(`this process does not hold the embedded database in ${dataDir}`);
  writeOwner(dataDir, { ...owner, ...address });
}

function writeOwner(dataDir: string, owner: EmbeddedOwner): void {
  // Written whole and readable by this user only: it carries the local command token.
  writeFileSync(ownerFile(dataDir), `${JSON.stringify(owner)}\n`, { mode: 0o600 });
}
