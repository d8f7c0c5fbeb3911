import { closeSync, existsSync, ftruncateSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One file of the write-ahead log: records as JSON lines, written in order. */
export interface Segment {
  n: number;
  path: string;
  /** Open for appends while this is the newest segment; undefined once sealed. */
  fd: number | undefined;
  bytes: number;
  lines: number;
  /** Leading lines already in PostgreSQL (records land in order, so what is written is always a prefix). */
  committed: number;
}

const segmentName = /^journal\.(\d{10})\.jsonl$/;
/** The spool file of controllers before the write-ahead log: read back first, like a sealed segment. */
const legacySpool = 'journal.spool.jsonl';

/**
 * The journal's write-ahead log on disk: every record is appended synchronously, so it is in the file (the
 * operating system's page cache) before the caller moves on, and survives a crash of the process. Segments are
 * sealed at `rotateBytes` and deleted once every line in them is in PostgreSQL; the newest one is truncated
 * when all of it is, so a healthy hotline keeps next to nothing on disk.
 */
export class SegmentLog {
  readonly segments: Segment[] = [];
  private nextN = 1;

  constructor(
    private readonly dir: string,
    private readonly rotateBytes: number,
  ) {
    const legacy = join(dir, legacySpool);
    if (existsSync(legacy)) renameSync(legacy, join(dir, fileName(0)));
    const found = readdirSync(dir)
      .map((f) => segmentName.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const n of found) {
      const path = join(dir, fileName(n));
      // Whole lines only: a last line without its newline was torn by a crash or a full disk.
      const text = readFileSync(path, 'utf8');
      let lines = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      if (lines === 0) {
        unlinkSync(path);
        continue;
      }
      this.segments.push({ n, path, fd: undefined, bytes: statSync(path).size, lines, committed: 0 });
    }
    this.nextN = (found.at(-1) ?? 0) + 1;
  }

  /** Bytes of every segment on disk. */
  get bytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.bytes;
    return total;
  }

  /** Lines on disk not yet in PostgreSQL. */
  get uncommitted(): number {
    let total = 0;
    for (const s of this.segments) total += s.lines - s.committed;
    return total;
  }

  /** Appends one line to the newest segment (opening one if needed); throws when the disk refuses it. */
  append(line: string, bytes: number): void {
    let seg = this.segments.at(-1);
    if (!seg || seg.fd === undefined) seg = this.open();
    const written = writeSync(seg.fd!, line);
    if (written < bytes) {
      // Part of the line (a disk filling mid-write): cut it off, so the next line does not run into it.
      ftruncateSync(seg.fd!, seg.bytes);
      throw new Error(`the disk took ${written} of ${bytes} bytes`);
    }
    seg.bytes += written;
    seg.lines += 1;
    if (seg.bytes >= this.rotateBytes) this.seal(seg);
  }

  /** Seals the newest segment so it can be read whole while appends go to a new one; false when it holds nothing. */
  sealNewest(): boolean {
    const seg = this.segments.at(-1);
    if (!seg || seg.fd === undefined) return seg !== undefined && seg.lines > seg.committed;
    if (seg.lines === seg.committed) return false;
    this.seal(seg);
    return true;
  }

  /** Marks the next `count` lines, in order, as in PostgreSQL, and lets go of what is all written. */
  commit(count: number): void {
    for (const seg of this.segments) {
      if (count === 0) break;
      const take = Math.min(count, seg.lines - seg.committed);
      seg.committed += take;
      count -= take;
    }
    this.release();
  }

  /** The oldest sealed segment still holding lines not in PostgreSQL, with those lines (a torn last line dropped). */
  nextSealed(): { seg: Segment; lines: string[] } | undefined {
    const seg = this.segments.find((s) => s.lines > s.committed);
    if (!seg || seg.fd !== undefined) return undefined;
    const all = readFileSync(seg.path, 'utf8').split('\n');
    // A line without its newline was cut by a crash or a full disk mid-write: it never counted as appended.
    all.pop();
    return { seg, lines: all.slice(seg.committed, seg.lines) };
  }

  /** Closes the open segment; what is not in PostgreSQL stays for the next run. */
  close(): void {
    this.release();
    const seg = this.segments.at(-1);
    if (seg?.fd !== undefined) {
      closeSync(seg.fd);
      seg.fd = undefined;
      if (seg.lines === seg.committed) this.drop(seg);
    }
  }

  private release(): void {
    while (this.segments.length > 0) {
      const seg = this.segments[0]!;
      if (seg.lines > seg.committed) return;
      if (seg.fd === undefined) {
        this.drop(seg);
        continue;
      }
      // The open segment, all written: emptied in place (appends go on at its start).
      if (seg.bytes > 0) {
        ftruncateSync(seg.fd, 0);
        seg.bytes = 0;
        seg.lines = 0;
        seg.committed = 0;
      }
      return;
    }
  }

  private open(): Segment {
    const n = this.nextN++;
    const path = join(this.dir, fileName(n));
    const seg: Segment = { n, path, fd: openSync(path, 'a'), bytes: 0, lines: 0, committed: 0 };
    this.segments.push(seg);
    return seg;
  }

  private seal(seg: Segment): void {
    if (seg.fd === undefined) return;
    closeSync(seg.fd);
    seg.fd = undefined;
  }

  private drop(seg: Segment): void {
    if (seg.fd !== undefined) closeSync(seg.fd);
    unlinkSync(seg.path);
    this.segments.splice(this.segments.indexOf(seg), 1);
  }
}

function fileName(n: number): string {
  return `journal.${String(n).padStart(10, '0')}.jsonl`;
}
