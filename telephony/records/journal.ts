import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../platform/logger.ts';
import { claimDirectory } from '../../platform/process-claim.ts';
import type { JournalRecord } from './records.ts';
import { writeSettingAside } from './refused-records.ts';
import { SegmentLog } from './journal-segments.ts';

export interface JournalOptions {
  /**
   * Writes one batch atomically; rejects when the database is unavailable or refuses a record (refused-records.ts).
   * May name calls whose row was missing at their close and was re-created (repository.ts).
   */
  write(records: JournalRecord[]): Promise<{ repaired: string[]; repeats?: number; unmatched?: { closes: string[]; outboundStatuses: string[] } } | void>;
  /** Directory of the write-ahead log (under the data dir). */
  dir: string;
  logger: Logger;
  /** The log's bound on disk: past it new records are refused (and counted) rather than filling the disk. */
  maxSpoolBytes?: number;
  /** Size at which a log segment is sealed and a new one begun. */
  segmentBytes?: number;
  batchSize?: number;
  retryMs?: number;
  /**
   * How long a record may wait for others before a write: a busy hotline then writes one batch every few
   * milliseconds instead of one per record, which spares both this process and the database.
   */
  lingerMs?: number;
}

/**
 * Telephony's write path to PostgreSQL that never blocks a call and never loses a record. append() writes the
 * record to a write-ahead log on disk at once (synchronously, so a `kill -9` right after it loses nothing) and
 * queues it; a background loop writes batches to PostgreSQL in order and lets the log go as they land.
 * While PostgreSQL is away (from the first failed batch), nothing is held in memory: the loop writes the log's
 * sealed segments back, oldest first, when it returns, and so does the next run after a crash. Records carry
 * their ids and every write is idempotent, so a record written again (a replay of a log whose progress was not
 * yet let go) lands exactly once. A record the database refuses for what it holds is set aside in
 * `journal.refused.jsonl` (logged, with the database's reason), so that it cannot hold back every record after it.
 */
export class CallJournal {
  /** While healthy: the records not yet in PostgreSQL, in order. From the first failure: only the log holds them. */
  private memory: JournalRecord[] = [];
  /** Records the disk refused (it is full or failing): held in memory only, never counted against the log. */
  private notOnDisk: Set<JournalRecord> | undefined;
  private mode: 'memory' | 'log' = 'memory';
  private readonly log: SegmentLog;
  /** Gives up this process's claim on the spool directory (platform/process-claim.ts). */
  private readonly release: () => void;
  private readonly refusedFile: string;
  private timer: NodeJS.Timeout | undefined;
  /** The pending timer's delay (a linger may give way to a full batch). */
  private timerMs = 0;
  private flushing: Promise<void> | undefined;
  private failing = false;
  private stopped = false;
  private readonly logger: Logger;
  private readonly maxSpoolBytes: number;
  private readonly batchSize: number;
  private readonly retryMs: number;
  private readonly lingerMs: number;
  /** Records refused because the log was at its bound (each batch of them logged). */
  dropped = 0;
  /** Records the disk would not take (held in memory only: a crash now would lose them). */
  unlogged = 0;
  /** Records the database refused, kept in the refused file. */
  refused = 0;
  /** Calls whose row was missing at their close and was re-created from it. */
  repaired = 0;
  /** Steps a controller that took a call over logged again, left out. */
  repeats = 0;
  /** Records that found no row to apply to (a close of a call with no row, a status of an unknown callback). */
  unmatched = 0;

  constructor(private readonly options: JournalOptions) {
    this.logger = options.logger.child({ component: 'call-journal' });
    this.maxSpoolBytes = options.maxSpoolBytes ?? 256 * 1024 * 1024;
    this.batchSize = options.batchSize ?? 500;
    this.retryMs = options.retryMs ?? 1000;
    this.lingerMs = options.lingerMs ?? 20;
    mkdirSync(options.dir, { recursive: true });
    this.release = claimDirectory(options.dir, 'the call-record spool');
    this.refusedFile = join(options.dir, 'journal.refused.jsonl');
    this.log = new SegmentLog(options.dir, options.segmentBytes ?? 1024 * 1024);
    if (this.log.uncommitted > 0) {
      this.logger.info({ records: this.log.uncommitted, bytes: this.log.bytes }, 'found records logged by an earlier run: writing them first');
      this.mode = 'log';
      this.schedule(0);
    }
  }

  append(record: JournalRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.log.bytes + bytes > this.maxSpoolBytes) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.logger.error({ dropped: this.dropped, bytes: this.log.bytes, maxSpoolBytes: this.maxSpoolBytes }, 'call record log is full: records refused');
      return;
    }
    try {
      this.log.append(line, bytes);
      if (this.mode === 'memory') this.memory.push(record);
    } catch (err) {
      // The disk refused it: the record still goes to PostgreSQL from memory, but a crash now would lose it.
      (this.notOnDisk ??= new Set()).add(record);
      this.memory.push(record);
      this.unlogged += 1;
      if (this.unlogged === 1 || this.unlogged % 1000 === 0) this.logger.error({ err: (err as Error).message, unlogged: this.unlogged }, 'call record log could not be written: keeping records in memory only');
    }
    this.schedule(this.nextDelay());
  }

  private nextDelay(): number {
    if (this.failing) return this.retryMs;
    return this.mode === 'log' || this.memory.length >= this.batchSize ? 0 : this.lingerMs;
  }

  /** Records not yet in the database: held in memory, and bytes of the log on disk. */
  get backlog(): { memory: number; spoolBytes: number } {
    return { memory: this.memory.length, spoolBytes: this.log.bytes };
  }

  /** How many records are not yet in the database (or set aside). */
  get pending(): number {
    return this.log.uncommitted + (this.notOnDisk?.size ?? 0);
  }

  /** Writes what it can now; resolves when the database has everything or refused the next batch. */
  async flush(): Promise<void> {
    await this.flushWith(true);
  }

  /**
   * `all`: every record held, batch after batch. The timer writes one batch (or full ones) and lets the records
   * that come meanwhile linger for the next: a busy hotline then writes a batch every `lingerMs`, not one after
   * another as fast as they land, which would spend a statement (and a seal) on every few records.
   */
  private async flushWith(all: boolean): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce(all).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /**
   * Resolves once every record appended so far is in the database (or set aside), so that the records have
   * caught up with the controller; rejects after `timeoutMs`, naming what is still pending.
   */
  async caughtUp(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.flush();
      if (this.pending === 0) return;
      if (Date.now() >= deadline) throw new Error(`call records have not caught up within ${timeoutMs} ms: ${this.pending} still pending (${this.failing ? 'database unavailable' : 'writing'})`);
      await new Promise((r) => setTimeout(r, Math.min(this.retryMs, 50)));
    }
  }

  /** Last chance at shutdown: whatever the database does not take now stays in the log for the next run. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.flush().catch(() => undefined);
    this.log.close();
    this.release();
    if (this.notOnDisk?.size) this.logger.error({ records: this.notOnDisk.size }, 'stopping with call records the disk would not take and the database did not: they are lost');
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    // A full batch does not wait out a linger already running.
    if (this.timer && ms === 0 && this.timerMs > 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.timer) return;
    this.timerMs = ms;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flushWith(false).then(() => {
        if (this.pending > 0) this.schedule(this.nextDelay());
      });
    }, ms);
  }

  private async flushOnce(all: boolean): Promise<void> {
    try {
      if (this.mode === 'log') await this.drainLog();
      if (this.mode === 'memory' && this.memory.length > 0) await this.writeFromMemory();
      while (this.mode === 'memory' && this.memory.length > 0 && (all || this.memory.length >= this.batchSize)) await this.writeFromMemory();
      if (this.failing) this.logger.info('database is back: call records written');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.warn({ err: (err as Error).message, records: this.pending }, 'database unavailable: keeping call records on disk');
      this.failing = true;
      this.toLog();
    }
  }

  private async writeFromMemory(): Promise<void> {
    const batch = this.memory.slice(0, this.batchSize);
    await this.write(batch);
    this.memory.splice(0, batch.length);
    this.commit(batch);
  }

  /** From now on the log alone holds what is pending (memory keeps only what the disk would not take). */
  private toLog(): void {
    this.mode = 'log';
    this.memory = this.notOnDisk ? this.memory.filter((r) => this.notOnDisk!.has(r)) : [];
  }

  /**
   * Writes the log back, oldest segment first; the newest is sealed when reached, so appends go on beside the
   * drain. Back to memory once the log has nothing pending at a moment when no append can come between.
   */
  private async drainLog(): Promise<void> {
    for (;;) {
      const next = this.log.nextSealed();
      if (!next) {
        if (this.log.sealNewest()) continue;
        this.mode = 'memory';
        return;
      }
      if (next.lines.length === 0) {
        // The file holds fewer whole lines than were counted (it was damaged outside this process): never spin.
        this.logger.error({ file: next.seg.path, missing: next.seg.lines - next.seg.committed }, 'call record log segment shorter than written: skipping what is not there');
        this.log.commit(next.seg.lines - next.seg.committed);
        continue;
      }
      for (let i = 0; i < next.lines.length; i += this.batchSize) {
        const lines = next.lines.slice(i, i + this.batchSize);
        const records: JournalRecord[] = [];
        const unreadable: string[] = [];
        for (const line of lines) {
          try {
            records.push(JSON.parse(line) as JournalRecord);
          } catch {
            unreadable.push(line);
          }
        }
        if (records.length > 0) await this.write(records);
        // A line that is not JSON (a damaged disk) cannot be written: it is set aside, never retried forever.
        if (unreadable.length > 0) this.setAside(unreadable.map((line) => ({ line })), new Error('unreadable line in the call record log'));
        this.log.commit(lines.length);
      }
    }
  }

  private commit(batch: JournalRecord[]): void {
    let logged = batch.length;
    if (this.notOnDisk) {
      for (const r of batch) if (this.notOnDisk.delete(r)) logged -= 1;
      if (this.notOnDisk.size === 0) this.notOnDisk = undefined;
    }
    this.log.commit(logged);
  }

  private write(records: JournalRecord[]): Promise<void> {
    return writeSettingAside(this.writeReporting, records, (refused, err) => {
      this.setAside(refused.map((record) => ({ record })), err);
      this.refused += refused.length;
      this.logger.error({ records: refused.length, err: err.message, file: this.refusedFile }, 'the database refused call records: set aside, the others written');
    });
  }

  /** A repaired row means a start was lost somewhere: never silent, though the record is whole again. */
  private readonly writeReporting = async (records: JournalRecord[]): Promise<void> => {
    const result = await this.options.write(records);
    if (!result) return;
    if (result.repeats) {
      this.repeats += result.repeats;
      this.logger.warn({ repeats: result.repeats }, 'steps logged again by a controller that took calls over: the first record of each stands');
    }
    const { closes = [], outboundStatuses = [] } = result.unmatched ?? {};
    if (closes.length + outboundStatuses.length > 0) {
      this.unmatched += closes.length + outboundStatuses.length;
      this.logger.error({ calls: closes, callbacks: outboundStatuses }, 'call records that found no row to apply to: not counted anywhere');
    }
    if (result.repaired.length === 0) return;
    this.repaired += result.repaired.length;
    this.logger.error({ calls: result.repaired }, 'call rows were missing at their close: re-created from the close');
  };

  /** Never throws: a refused record that cannot be kept on disk (full) is logged whole instead, never retried forever. */
  private setAside(entries: Array<{ record: JournalRecord } | { line: string }>, err: Error): void {
    try {
      appendFileSync(this.refusedFile, entries.map((entry) => `${JSON.stringify({ reason: err.message, ...entry })}\n`).join(''));
    } catch (diskErr) {
      this.logger.error({ entries, reason: err.message, err: (diskErr as Error).message }, 'could not keep refused call records on disk: they are in this log line only');
    }
  }
}
