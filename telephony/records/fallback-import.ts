import { appendFile, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../platform/logger.ts';
import { fallbackCallRecords, parseFallbackCdrs, type FallbackContext } from './fallback-cdr.ts';
import type { JournalRecord } from './records.ts';

export interface FallbackImportDeps {
  /** Asterisk's cdr_custom file (asterisk-config/cdr_custom.conf), as this process sees it. */
  file: string;
  /** Writes the records (idempotent: writeRecords). */
  write(records: JournalRecord[]): Promise<void>;
  context(): Promise<FallbackContext>;
  logger: Logger;
}

/**
 * Imports the calls that took the dialplan fallback while no controller was connected. The file is renamed
 * aside first (Asterisk opens it per record, so its next record starts a new file), imported, then deleted;
 * a file left aside by a crash is imported on the next run, and the stable ids make that harmless. Lines that
 * cannot be read are appended to `<file>.malformed` (and logged as an error) before the file goes.
 */
export class FallbackImporter {
  private running: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(private readonly d: FallbackImportDeps) {
    this.log = d.logger.child({ component: 'fallback-cdr' });
  }

  /** Imports now (one run at a time); resolves with the number of calls written. Never rejects. */
  run(): Promise<number> {
    this.running ??= this.once()
      .catch((err: Error) => {
        this.log.warn({ err: err.message, file: this.d.file }, 'could not import fallback calls from the CDR file: retrying later');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Also imports every intervalMs: a fallback call still going on at reconnect is written when it ends. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async once(): Promise<number> {
    const dir = dirname(this.d.file);
    const name = basename(this.d.file);
    await rename(this.d.file, join(dir, `${name}.${Date.now()}.importing`)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    const aside = entries.filter((f) => f.startsWith(`${name}.`) && f.endsWith('.importing')).sort();
    let imported = 0;
    for (const file of aside) {
      const path = join(dir, file);
      const { cdrs, malformed } = parseFallbackCdrs(await readFile(path, 'utf8'));
      if (cdrs.length > 0) {
        const records = fallbackCallRecords(cdrs, await this.d.context());
        await this.d.write(records);
        const calls = records.filter((r) => r.kind === 'call_started').length;
        imported += calls;
        this.log.info({ calls }, 'imported calls that took the dialplan fallback');
      }
      if (malformed.length > 0) {
        // Calls Asterisk ran alone, perhaps: kept for a person to read, never deleted with the file. Kept once the
        // rest is written, so an import tried again (PostgreSQL away) does not keep them twice.
        const keep = join(dir, `${name}.malformed`);
        await appendFile(keep, `${malformed.join('\n')}\n`);
        this.log.error({ file: path, malformed: malformed.length, keptIn: keep }, 'fallback CDR lines that cannot be read: not imported, kept aside');
      }
      await unlink(path);
    }
    return imported;
  }
}
