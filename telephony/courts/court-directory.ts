import type { Db } from '../../platform/db/client.ts';
import type { Listen } from '../../platform/db/notifications.ts';
import { SerialReload } from '../../platform/db/serial-reload.ts';
import type { Logger } from '../../platform/logger.ts';
import { courts } from '../../platform/courts.sql.ts';
import { hotlineNumbers } from './hotline-numbers.sql.ts';

/** What decides a call's court: the COURT_ID its channel carries (dialplan) and the number it came in on. */
export interface CourtClues {
  courtId?: string | null | undefined;
  dialled: string;
}

export interface CourtSnapshot {
  courtIds: string[];
  numbers: Map<string, string>;
}

/**
 * Pure: the court of a call. A COURT_ID the dialplan set wins when it names a court that exists; then the
 * number → court table; then the deployment's only court. Null when none decides: the caller is told the
 * number is not in service (never queued where no operator serves).
 */
export function courtFor(snapshot: CourtSnapshot, clues: CourtClues): string | null {
  if (clues.courtId && snapshot.courtIds.includes(clues.courtId)) return clues.courtId;
  const mapped = snapshot.numbers.get(clues.dialled);
  if (mapped) return mapped;
  return snapshot.courtIds.length === 1 ? snapshot.courtIds[0]! : null;
}

/**
 * The courts and hotline numbers, kept in memory so a call never waits on the database for them, and reloaded
 * the moment they change (NOTIFY telephony_courts from the tables' triggers, and after every reconnect of that
 * subscription). While the database is away the last snapshot keeps deciding.
 */
export class CourtDirectory {
  private snapshot: CourtSnapshot = { courtIds: [], numbers: new Map() };
  private unlisten: (() => Promise<void>) | undefined;
  private readonly log: Logger;
  private readonly reloader: SerialReload;

  constructor(
    private readonly db: Db,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'court-directory' });
    this.reloader = new SerialReload(
      () => this.load(),
      (err) => this.log.warn({ err: err.message }, 'courts not loaded: keeping the last ones, trying again in 1 s'),
      1000,
    );
  }

  /** Loads the directory and subscribes to its changes; a database away at start is retried by the subscription. */
  async start(listen: Listen): Promise<void> {
    await this.reload();
    this.unlisten = await listen('telephony_courts', () => void this.reload());
  }

  async stop(): Promise<void> {
    this.reloader.stop();
    await this.unlisten?.();
  }

  courtFor(clues: CourtClues): string | null {
    return courtFor(this.snapshot, clues);
  }

  /** Every court of the deployment. */
  get courtIds(): readonly string[] {
    return this.snapshot.courtIds;
  }

  /** One load at a time (SerialReload): a change during a load causes one more; a failed load is tried again in 1 s. */
  reload(): Promise<void> {
    return this.reloader.run();
  }

  private async load(): Promise<void> {
    const [courtRows, numberRows] = await Promise.all([this.db.select({ id: courts.id }).from(courts), this.db.select().from(hotlineNumbers)]);
    this.snapshot = { courtIds: courtRows.map((c) => c.id), numbers: new Map(numberRows.map((n) => [n.number, n.courtId])) };
    this.log.info({ courts: courtRows.length, numbers: numberRows.length }, 'courts and hotline numbers loaded');
  }
}
