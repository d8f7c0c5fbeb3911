import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../platform/logger.ts';
import type { JournalRecord } from './records.ts';
import { writeSettingAside } from './refused-records.ts';

export interface JournalOptions {
  /** Writes one batch atomically; rejects when the database is unavailable or refuses a record (refused-records.ts). */
  write(records: JournalRecord[]): Promise<void>;
  /** Directory of the on-disk spool (under the data dir). */
  dir: string;
  logger: Logger;
  /** The spool's bound: past it new records are refused (and counted) rather than filling the disk. */
  maxSpoolBytes?: number;
  /** Records kept in memory before they move to the spool while the database is away. */
  maxMemoryRecords?: number;
  batchSize?: number;
  retryMs?: number;
  /**
   * How long a record may wait for others before a write: a busy hotline then writes one batch every few
   * milliseconds instead of one per record, which spares both this process and the database.
   */
  lingerMs?: number;
}

/**
 * Telephony's write path to PostgreSQL that never blocks a call: append() only queues. A background loop
 * writes batches in order; while the database is away batches go to a JSON-lines spool on disk, which is
 * written back first, in order, when it returns. Records carry their ids, so a replay lands exactly once.
 * A record the database refuses for what it holds is set aside in `journal.refused.jsonl` beside the spool
 * (logged, with the database's reason), so that it cannot hold back every record after it.
 */
export class CallJournal {
  private memory: JournalRecord[] = [];
  private spoolBytes = 0;
  private readonly spoolFile: string;
  private readonly refusedFile: string;
  private timer: NodeJS.Timeout | undefined;
  /** The pending timer's delay (a linger may give way to a full batch). */
  private timerMs = 0;
  private flushing: Promise<void> | undefined;
  private failing = false;
  private stopped = false;
  private readonly log: Logger;
  private readonly maxSpoolBytes: number;
  private readonly maxMemoryRecords: number;
  private readonly batchSize: number;
  private readonly retryMs: number;
  private readonly lingerMs: number;
  /** Records refused because the spool was full (each one logged). */
  dropped = 0;
  /** Records the database refused, kept in the refused file. */
  refused = 0;

  constructor(private readonly options: JournalOptions) {
    this.log = options.logger.child({ component: 'call-journal' });
    this.maxSpoolBytes = options.maxSpoolBytes ?? 256 * 1024 * 1024;
    this.maxMemoryRecords = options.maxMemoryRecords ?? 2000;
    this.batchSize = options.batchSize ?? 500;
    this.retryMs = options.retryMs ?? 1000;
    this.lingerMs = options.lingerMs ?? 20;
    mkdirSync(options.dir, { recursive: true });
    this.spoolFile = join(options.dir, 'journal.spool.jsonl');
    this.refusedFile = join(options.dir, 'journal.refused.jsonl');
    if (existsSync(this.spoolFile)) {
      this.spoolBytes = statSync(this.spoolFile).size;
      if (this.spoolBytes > 0) this.log.info({ bytes: this.spoolBytes }, 'found records spooled by an earlier run: writing them first');
      this.schedule(0);
    }
  }

  append(record: JournalRecord): void {
    this.memory.push(record);
    if (this.failing && this.memory.length >= this.maxMemoryRecords) this.spill(this.memory.splice(0));
    this.schedule(this.nextDelay());
  }

  private nextDelay(): number {
    if (this.failing) return this.retryMs;
    return this.memory.length >= this.batchSize ? 0 : this.lingerMs;
  }

  /** Records not yet in the database (memory and spool). */
  get backlog(): { memory: number; spoolBytes: number } {
    return { memory: this.memory.length, spoolBytes: this.spoolBytes };
  }

  /** Writes what it can now; resolves when the database has everything or refused the next batch. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** Last chance at shutdown: whatever the database does not take now stays in the spool for the next run. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.flush().catch(() => undefined);
    if (this.memory.length > 0) this.spill(this.memory.splice(0));
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
      void this.flush().then(() => {
        if (this.memory.length > 0 || this.spoolBytes > 0) this.schedule(this.nextDelay());
      });
    }, ms);
  }

  private async flushOnce(): Promise<void> {
    try {
      if (this.spoolBytes > 0) await this.drainSpool();
      while (this.spoolBytes === 0 && this.memory.length > 0) {
        const batch = this.memory.slice(0, this.batchSize);
        try {
          await this.write(batch);
          this.memory.splice(0, batch.length);
        } catch (err) {
          // Keep order: this batch and everything after it go behind the spool.
          this.spill(this.memory.splice(0));
          throw err;
        }
      }
      if (this.failing) this.log.info('database is back: call records written');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.log.warn({ err: (err as Error).message, backlog: this.backlog }, 'database unavailable: keeping call records on disk');
      this.failing = true;
    }
  }

  private async drainSpool(): Promise<void> {
    const lines = readFileSync(this.spoolFile, 'utf8').split('\n').filter(Boolean);
    let done = 0;
    try {
      while (done < lines.length) {
        const chunk = lines.slice(done, done + this.batchSize).map((l) => JSON.parse(l) as JournalRecord);
        await this.write(chunk);
        done += chunk.length;
      }
    } finally {
      if (done === lines.length) {
        unlinkSync(this.spoolFile);
        this.spoolBytes = 0;
      } else if (done > 0) {
        const rest = lines.slice(done).map((l) => `${l}\n`).join('');
        writeFileSync(`${this.spoolFile}.tmp`, rest);
        renameSync(`${this.spoolFile}.tmp`, this.spoolFile);
        this.spoolBytes = Buffer.byteLength(rest);
      }
    }
  }

  private write(records: JournalRecord[]): Promise<void> {
    return writeSettingAside(this.options.write, records, (refused, err) => {
      appendFileSync(this.refusedFile, refused.map((record) => `${JSON.stringify({ reason: err.message, record })}\n`).join(''));
      this.refused += refused.length;
      this.log.error({ records: refused.length, err: err.message, file: this.refusedFile }, 'the database refused call records: set aside, the others written');
    });
  }

  private spill(records: JournalRecord[]): void {
    if (records.length === 0) return;
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    const bytes = Buffer.byteLength(text);
    if (this.spoolBytes + bytes > this.maxSpoolBytes) {
      this.dropped += records.length;
      this.log.error({ records: records.length, spoolBytes: this.spoolBytes, maxSpoolBytes: this.maxSpoolBytes }, 'call record spool is full: records refused');
      return;
    }
    appendFileSync(this.spoolFile, text);
    this.spoolBytes += bytes;
  }
}
