import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { courtCallSettings } from './settings.sql.ts';

/**
 * The courts that play the recording notice, in memory for the controller (a call never waits on the database):
 * read at start and every `everyMs`, and at once after a change made through this process. A change made through
 * another API process reaches the menu within `everyMs`. Until the first read succeeds no court has the notice, so
 * that read is retried every `retryMs` and each failure is logged as an error.
 */
export class RecordingNoticeCache {
  private courts = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private loaded = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  has = (courtId: string): boolean => this.courts.has(courtId);

  async refresh(): Promise<void> {
    try {
      const rows = await this.db.select({ courtId: courtCallSettings.courtId, on: courtCallSettings.recordingNotice }).from(courtCallSettings);
      this.courts = new Set(rows.filter((r) => r.on).map((r) => r.courtId));
      this.loaded = true;
    } catch (caught) {
      // drizzle wraps the driver's error ("Failed query: …"): its cause says why.
      const err = ((caught as Error).cause as Error | undefined)?.message ?? (caught as Error).message;
      if (!this.loaded) this.logger.error({ err }, 'recording notice settings not loaded: callers hear no recording notice until they are (retrying)');
      // The last copy keeps deciding while the database is away.
      else this.logger.warn({ err }, 'recording notice settings not reloaded');
    }
  }

  start(everyMs = 5000, retryMs = 1000): void {
    const first = async () => {
      await this.refresh();
      if (this.loaded || this.stopped) return;
      this.retry = setTimeout(() => void first(), retryMs);
      this.retry.unref();
    };
    void first();
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
  }
}
