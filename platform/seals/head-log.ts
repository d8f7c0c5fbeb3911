import { randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.ts';

/** One line of a head log: a seal as it was made, and records it holds (unsigned, to name them in a finding). */
export interface HeadEntry {
  v: 1;
  /** The database (current_database()) the seal was written to. */
  db: string;
  /** The domain: 'calls', 'tickets' or 'quality'. */
  d: string;
  at: string;
  /** The seal's signed text: its chain, position and hash are read from it. */
  text: string;
  sig: string;
  hint?: string[];
}

/** The head logs' directory beside the checkpoint file: `checkpoints.jsonl` → `checkpoints.heads/`. */
export function headLogDir(checkpointFile: string): string {
  return `${checkpointFile.replace(/\.jsonl$/, '')}.heads`;
}

/**
 * A process's append-only log of the seals it makes, one line each, in the checkpoint file's directory: each seal
 * reaches the store outside PostgreSQL as soon as its records are in the database, a checkpoint per batch in effect,
 * so records deleted together with their seals since the last hourly checkpoint are found (verify.ts). A line
 * holds the seal's signed text and signature, nothing that can be made without the key. Each process writes a file
 * of its own (no lock), named in the checkpoint file when opened so that a deleted log is found too. Lines are
 * queued and written in order off the caller's path, without fsync (a crash loses at most the last lines, which
 * verify then cannot hold against the database); a failed write is logged and counted, never thrown: the seal
 * is in the database and the next line or checkpoint covers it.
 */
export class HeadLog {
  readonly name: string;
  readonly file: string;
  private handle: Promise<FileHandle> | undefined;
  private queue: string[] = [];
  private writing: Promise<void> | undefined;
  /** Per chain, the furthest seal logged: a head logged again (tickets log the head they find) is skipped. */
  private readonly logged = new Map<string, number>();
  /** Lines that could not be written. */
  failed = 0;

  constructor(
    dir: string,
    readonly database: string,
    private readonly logger: Logger,
  ) {
    mkdirSync(dir, { recursive: true });
    this.name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`;
    this.file = join(dir, this.name);
    // Made at once: verify expects every log the checkpoint file names.
    closeSync(openSync(this.file, 'a', 0o644));
  }

  /** Logs a seal of `chain` at `seq` (its signed text and signature), unless one as far was logged already. */
  append(domain: string, chain: string, seq: number, text: string, sig: string, hint?: string[]): void {
    const key = `${domain}/${chain}`;
    if ((this.logged.get(key) ?? 0) >= seq) return;
    this.logged.set(key, seq);
    const entry: HeadEntry = { v: 1, db: this.database, d: domain, at: new Date().toISOString(), text, sig, ...(hint && hint.length > 0 ? { hint } : {}) };
    this.queue.push(`${JSON.stringify(entry)}\n`);
    this.writing ??= this.drain();
  }

  /** Resolves once every line appended so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.handle) await (await this.handle.catch(() => undefined))?.close();
    this.handle = undefined;
  }

  private async drain(): Promise<void> {
    // Lines queued while one write is on its way go together in the next.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const lines = this.queue.join('');
      const count = this.queue.length;
      this.queue = [];
      try {
        this.handle ??= open(this.file, 'a', 0o644);
        await (await this.handle).appendFile(lines);
      } catch (err) {
        this.handle = undefined;
        this.failed += count;
        this.logger.error({ err: (err as Error).message, file: this.file, lines: count }, 'seal head log could not be written: these seals are covered from the next line or checkpoint on');
      }
    }
    this.writing = undefined;
  }
}

/** Where verify reads the head logs, and which database's lines. */
export interface HeadLogSource {
  dir: string;
  database: string;
}

/** Where a line is, for a finding: `<dir>/<file> line <n>`. */
export interface HeadLine {
  entry: HeadEntry;
  where: string;
}

/**
 * Calls `each` for every line of `domain` and `database` in every head log of the directory, file by file. A line
 * that is not JSON is a `problem`, unless it is a file's last (a write cut short by a crash).
 */
export async function forEachHeadLine({ dir, database }: HeadLogSource, domain: string, each: (line: HeadLine) => void, problem: (where: string, text: string) => void): Promise<void> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    let n = 0;
    let unreadable: string | undefined;
    for await (const text of createInterface({ input: createReadStream(join(dir, name), 'utf8'), crlfDelay: Infinity })) {
      n++;
      if (unreadable) problem(unreadable, 'is not JSON: the head log was edited');
      unreadable = undefined;
      const where = `${join(dir, name)} line ${n}`;
      let entry: HeadEntry;
      try {
        entry = JSON.parse(text) as HeadEntry;
      } catch {
        unreadable = where;
        continue;
      }
      if (entry.db === database && entry.d === domain) each({ entry, where });
    }
  }
}
