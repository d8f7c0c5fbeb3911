import type { Db } from '../../platform/db/client.ts';
import type { Listen } from '../../platform/db/notifications.ts';
import { failureReason } from '../../platform/db/failure-reason.ts';
import { SerialReload } from '../../platform/db/serial-reload.ts';
import type { Logger } from '../../platform/logger.ts';
import { callSettingsChannel } from './settings.ts';
import { courtCallSettings } from './settings.sql.ts';

/**
 * The courts that play the recording notice, in memory for the controller (a call never waits on the database):
 * read at start and again the moment any process changes a court's call settings (NOTIFY telephony_call_settings,
 * sent in the change's transaction, and after every reconnect of that listener). Until the first read succeeds no
 * court has the notice, so a failed read is retried every `retryMs`, logged as an error until one succeeds; after
 * that the last copy keeps deciding while the database is away.
 */
export class RecordingNoticeCache {
  private courts = new Set<string>();
  private loaded = false;
  private unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  private reloader: SerialReload | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  has = (courtId: string): boolean => this.courts.has(courtId);

  /** Reads now (after a change made through this process, and for tests); reports a failure rather than throwing. */
  refresh(): Promise<void> {
    return this.reloader ? this.reloader.run() : this.load().catch((err: Error) => this.report(err));
  }

  /** First load (retried until it succeeds), then a reload on every notification. */
  start(listen: Listen, retryMs = 1000): Promise<void> {
    this.reloader = new SerialReload(() => this.load(), (err) => this.report(err), retryMs);
    void this.reloader.run();
    this.unlisten = listen(callSettingsChannel, () => void this.reloader!.run()).catch((err: Error) => {
      this.logger.error({ err: err.message }, 'cannot listen for call settings changes: another process’s change is not seen until a restart');
      return undefined;
    });
    return this.unlisten.then(() => undefined);
  }

  async stop(): Promise<void> {
    this.reloader?.stop();
    await (await this.unlisten)?.();
  }

  private async load(): Promise<void> {
    const rows = await this.db.select({ courtId: courtCallSettings.courtId, on: courtCallSettings.recordingNotice }).from(courtCallSettings);
    this.courts = new Set(rows.filter((r) => r.on).map((r) => r.courtId));
    this.loaded = true;
  }

  private report(caught: Error): void {
    const err = failureReason(caught);
    if (!this.loaded) this.logger.error({ err }, 'recording notice settings not loaded: callers hear no recording notice until they are (retrying)');
    else this.logger.warn({ err }, 'recording notice settings not reloaded: keeping the last ones (retrying)');
  }
}
