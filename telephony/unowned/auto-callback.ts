import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { isRefusal } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { maskPhone } from '../../platform/masking.ts';
import type { Redis } from '../../platform/redis/connect.ts';
import type { LiveState } from '../acd/live-state.ts';
import type { BusinessCalendar } from '../hours/calendar.ts';
import type { OutboundService } from '../outbound/service.ts';
import { abandonedEntries, type AbandonedEntry } from './abandoned.ts';
import type { EventBus } from '../../platform/events.ts';
import { usableNumber } from './claims.ts';
import { settleReachedCallbacks } from './reached.ts';
import { chinaDayStart, type UnownedTicketPort } from './service.ts';
import { enabledCourts, type AutoCallbackSettings } from './settings.ts';
import { autoCallbacks } from './unowned.sql.ts';

export interface AutoCallbackDeps {
  db: Db;
  redis: Redis;
  prefix: string;
  live: LiveState;
  calendar: BusinessCalendar;
  outbound: Pick<OutboundService, 'request'>;
  /** Tickets for callers reached (reached.ts). */
  tickets: Pick<UnownedTicketPort, 'create'>;
  events: EventBus;
  logger: Logger;
  now?: () => number;
}

/** HH:MM in China time. */
const chinaClock = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(11, 16);

/**
 * Calls back callers who gave up (自动回拨), operator first: on each tick, for every court that turned it on, in its
 * dialling hours and business hours, each free operator (ready, with no caller waiting in the court's queue) is
 * given one caller of today's unowned queue whose attempts are not used up and whose last attempt is
 * `intervalMinutes` old — the oldest first — until the court's daily cap. Each attempt is one outbound request
 * (purpose missed_call, operator mode, a single try: the operator's softphone rings, then the caller), recorded in
 * auto_callbacks; its legs and result are the outbound tables'. A caller answered or reached leaves the queue
 * (abandoned.ts), so is never dialled again that day; its operator becomes the first-contact owner, with a ticket
 * (reached.ts). A withheld number is never dialled. One controller at a time runs a court's tick (a Redis lock).
 */
export class AutoCallback {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);
  private readonly now: () => number;

  constructor(private readonly d: AutoCallbackDeps) {
    this.now = d.now ?? Date.now;
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /** One round over every court; resolves with the callbacks started. Never throws (logged). */
  tick(): Promise<number> {
    this.running = this.running.then(() => this.round()).catch((err: Error) => {
      this.d.logger.warn({ err: err.message }, 'automatic callback round failed');
      return 0;
    });
    return this.running;
  }

  private async round(): Promise<number> {
    let started = 0;
    for (const court of await enabledCourts(this.d.db)) started += await this.court(court);
    await settleReachedCallbacks({ ...this.d, now: this.now });
    return started;
  }

  private async court(s: AutoCallbackSettings & { courtId: string }): Promise<number> {
    const at = this.now();
    const clock = chinaClock(at);
    if (clock < s.opens || clock >= s.closes || !this.d.calendar.isOpen(s.courtId, new Date(at))) return 0;
    const lock = await this.d.redis.set(`${this.d.prefix}:tel:auto-cb:${s.courtId}`, '1', 'PX', 2000, 'NX');
    if (lock !== 'OK') return 0;
    // Callers waiting now come first: no operator is taken from the queue.
    if ((await this.d.live.waiting(s.courtId)).length > 0) return 0;
    const free = (await this.d.live.operators(s.courtId)).filter((o) => o.state === 'ready').sort((a, b) => a.since - b.since);
    if (free.length === 0) return 0;
    const today = chinaDayStart(at);
    const day = new Date(today.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const [made] = await this.d.db.select({ n: count() }).from(autoCallbacks).where(and(eq(autoCallbacks.courtId, s.courtId), eq(autoCallbacks.day, day)));
    let left = s.dailyCap - (made?.n ?? 0);
    // A withheld or anonymous number cannot be dialled: never due.
    const due = (e: AbandonedEntry) =>
      usableNumber(e.callerNumber) &&
      e.day === day &&
      e.autoAttempts < s.attempts &&
      e.autoLastStatus !== 'scheduled' &&
      e.autoLastStatus !== 'dialling' &&
      (!e.autoLastAt || at - e.autoLastAt.getTime() >= s.intervalMinutes * 60_000);
    const callers = (await abandonedEntries(this.d.db, { courtId: s.courtId, since: today, now: at })).filter(due).reverse();
    let started = 0;
    for (const entry of callers) {
      if (left <= 0 || free.length === 0) break;
      const operator = free.shift()!;
      const actor = { userId: operator.userId, role: 'operator' as const, courtId: s.courtId, departmentId: null };
      const log = this.d.logger.child({ courtId: s.courtId, caller: maskPhone(entry.callerNumber), operatorId: operator.userId });
      try {
        // Filed with its row (the cap, the attempts and the ticket for a caller reached count on it), or not at all.
        const request = await this.d.outbound.request(
          actor,
          { purpose: 'missed_call', mode: 'operator', callId: entry.lastCallId, attempts: 1 },
          {
            record: async (tx, outboundId) =>
              void (await tx.insert(autoCallbacks).values({ outboundId, courtId: s.courtId, callerNumber: entry.callerNumber, day, callId: entry.lastCallId, operatorId: operator.userId, startedAt: new Date(at) })),
            undo: async (tx, outboundId) => void (await tx.delete(autoCallbacks).where(eq(autoCallbacks.outboundId, outboundId))),
          },
        );
        log.info({ outboundId: request.id, attempt: entry.autoAttempts + 1 }, 'automatic callback started');
        left -= 1;
        started += 1;
      } catch (err) {
        // Refused (the operator became busy, the caller has a callback under way) or failed (PostgreSQL, Redis):
        // no row of ours stands either way (a request Redis would not schedule is kept as failed), and the next
        // tick tries again.
        if (isRefusal(err)) log.info({ err: err.message }, 'automatic callback not started');
        else log.error({ err: (err as Error).message }, 'automatic callback not started: it could not be filed');
      }
    }
    return started;
  }
}
