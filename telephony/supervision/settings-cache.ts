import type { Db } from '../../platform/db/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { courtCallSettings } from './settings.sql.ts';

/**
 * The courts that play the recording notice, in memory for the controller (a call never waits on the database):
 * read at start and every `everyMs`, and at once after a change made through this process. A change made through
 * another API process reaches the menu within `everyMs`.
 */
export class RecordingNoticeCache {
  private courts = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  has = (courtId: string): boolean => this.courts.has(courtId);

  async refresh(): Promise<void> {
    try {
      const rows = await this.db.select({ courtId: courtCallSettings.courtId, on: courtCallSettings.recordingNotice }).from(courtCallSettings);
      this.courts = new Set(rows.filter((r) => r.on).map((r) => r.courtId));
    } catch (err) {
      // The last copy keeps deciding while the database is away.
      this.logger.warn({ err: (err as Error).message }, 'recording notice settings not reloaded');
    }
  }

  start(everyMs = 5000): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
