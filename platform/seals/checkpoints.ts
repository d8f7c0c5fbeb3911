import { appendFileSync, closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonical, genesis, sha256 } from './canonical.ts';
import type { SealSigner, SealVerifier } from './keys.ts';

/** A chain's head: its last sealed position and that position's hash. */
export interface Head {
  seq: number;
  hash: string;
}
/** Heads by domain ('tickets', 'calls', 'quality') and chain key (a court, or a writer's stream and court). */
export type Heads = Record<string, Record<string, Head>>;

export interface Checkpoint {
  v: 1;
  /** 1, 2, … in the file. */
  n: number;
  at: string;
  reason: string;
  /** The database whose heads these are (current_database()). */
  database: string;
  /** sha256 of the previous line as written (64 zeros for the first). */
  prev: string;
  keyId: string;
  heads: Heads;
  /** A process's head log opened (head-log.ts), by file name: verify expects to find it. */
  headLog?: string;
  /** Ed25519 over the canonical form of every other field. */
  sig: string;
}

/**
 * The append-only checkpoint file outside PostgreSQL: one signed JSON line per checkpoint of every chain's head,
 * each line chained to the one before. A head in the database that is behind (or off) its last checkpoint is a
 * cut tail or a deleted chain.
 */
export function appendCheckpoint(file: string, signer: SealSigner, database: string, heads: Heads, reason: string, now = new Date(), headLog?: string): Checkpoint {
  mkdirSync(dirname(file), { recursive: true });
  return withFileLock(`${file}.lock`, () => appendLocked(file, signer, database, heads, reason, now, headLog));
}

function appendLocked(file: string, signer: SealSigner, database: string, heads: Heads, reason: string, now: Date, headLog: string | undefined): Checkpoint {
  const last = lastLine(file);
  let n = 1;
  let prev = genesis;
  if (last !== null) {
    prev = sha256(last);
    n = (JSON.parse(last) as Checkpoint).n + 1;
  }
  const body = { v: 1 as const, n, at: now.toISOString(), reason, database, prev, keyId: signer.keyId, heads, ...(headLog ? { headLog } : {}) };
  const line: Checkpoint = { ...body, sig: signer.sign(canonical(body)) };
  const fd = openSync(file, 'a', 0o644);
  try {
    appendFileSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return line;
}

export type CheckpointRead =
  | { ok: true; count: number; heads: Heads; lastAt: string | null; others: number; headLogs: Array<{ name: string; line: number }> }
  | { ok: false; count: number; line: number; problem: string };

/**
 * Reads and checks the whole file: every line signed by the key, numbered and chained to the one before.
 * `heads` is, per chain, the furthest head any checkpoint of `database` recorded (chains only grow); `count` counts
 * that database's lines, `others` the lines of other databases.
 */
export function readCheckpoints(file: string, verifier: SealVerifier, database: string): CheckpointRead {
  if (!existsSync(file)) return { ok: true, count: 0, heads: {}, lastAt: null, others: 0, headLogs: [] };
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const heads: Heads = {};
  const headLogs: Array<{ name: string; line: number }> = [];
  let prev = genesis;
  let lastAt: string | null = null;
  let count = 0;
  for (const [i, text] of lines.entries()) {
    const fail = (problem: string): CheckpointRead => ({ ok: false, count: i, line: i + 1, problem });
    let cp: Checkpoint;
    try {
      cp = JSON.parse(text) as Checkpoint;
    } catch {
      return fail('is not JSON');
    }
    const { sig, ...body } = cp;
    if (!verifier.verify(canonical(body), sig)) return fail(`its signature does not verify with key ${verifier.keyId} (written or edited without the key)`);
    if (cp.n !== i + 1) return fail(`is numbered ${cp.n}, expected ${i + 1} (a checkpoint was removed)`);
    if (cp.prev !== prev) return fail('does not follow the line before it (a checkpoint was removed or reordered)');
    prev = sha256(text);
    if (cp.database !== database) continue;
    count++;
    lastAt = cp.at;
    if (cp.headLog) headLogs.push({ name: cp.headLog, line: i + 1 });
    for (const [domain, chains] of Object.entries(cp.heads)) {
      const into = (heads[domain] ??= {});
      for (const [chain, head] of Object.entries(chains)) {
        const seen = into[chain];
        if (!seen || head.seq >= seen.seq) into[chain] = head;
      }
    }
  }
  return { ok: true, count, heads, lastAt, others: lines.length - count, headLogs };
}

/** The file's last line (without its newline), read from the end; null for a missing or empty file. */
function lastLine(file: string): string | null {
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    let chunk = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const text = buf.toString('utf8').replace(/\n+$/, '');
      const at = text.lastIndexOf('\n');
      if (at >= 0) return text.slice(at + 1);
      if (start === 0) return text === '' ? null : text;
      chunk *= 4;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Several processes may share the file (workers on several hosts, a shared volume): a line is numbered and chained
 * to the one before under an exclusive lock file (created with O_EXCL; one older than 30 s is a dead holder's).
 */
function withFileLock<T>(lock: string, run: () => T): T {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) unlinkSync(lock);
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`checkpoint file is locked by ${lock} for over 10 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return run();
  } finally {
    unlinkSync(lock);
  }
}
