import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { isRefusal } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Redis } from '../../platform/redis/connect.ts';
import type { TicketIntake } from '../ticket-intake.ts';

/** A call the ticket intake owes a ticket: a message left or a callback asked for, with what the intake needs. */
export interface OwedTicket {
  callId: string;
  courtId: string;
  callerNumber: string;
  what: 'message' | 'callback';
  recordingName: string;
  reason: 'after_hours' | 'queue_timeout';
}

/** Calls no longer in the live retry's hands (intake-commands.ts gives up after about two minutes). */
export const sweepAfterMs = 5 * 60_000;
/** How far back a sweep looks: a process down for a weekend still owes Monday's callers their tickets. */
export const sweepBackMs = 3 * 86_400_000;
/** Longest a sweep holds the deployment's lock without renewing it (a process that dies holding it lets the next in). */
const sweepLockMs = 60_000;
const extendIfOurs = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0`;

/**
 * Calls closed between `since` and `until` that left a message or asked for a callback, with a court. A message
 * left after an unanswered transfer is the transferred-call ticket's (it has transfer legs): not here.
 */
export async function callsOwedTickets(db: Db, since: Date, until: Date): Promise<OwedTicket[]> {
  const { rows } = await db.execute<{ id: string; court_id: string; caller_number: string; in_hours: boolean | null; message: string | null; callback: boolean }>(sql`
    select c.id, c.court_id, c.caller_number, c.in_hours,
      (select e.data->>'name' from telephony.call_events e where e.call_id = c.id and e.kind = 'message_left' limit 1) as message,
      exists (select 1 from telephony.call_events e where e.call_id = c.id and e.kind = 'callback_requested') as callback
    from telephony.calls c
    where c.ended_at >= ${since.toISOString()}::timestamptz and c.ended_at < ${until.toISOString()}::timestamptz
      and c.arrived_at >= ${new Date(since.getTime() - 86_400_000).toISOString()}::timestamptz
      and c.court_id is not null and c.outcome in ('message_left', 'callback_requested')
      and not exists (select 1 from telephony.transfer_legs t where t.call_id = c.id)
    order by c.ended_at`);
  return rows.flatMap((r) => {
    if (r.message === null && !r.callback) return [];
    const what = r.message !== null ? ('message' as const) : ('callback' as const);
    return [{ callId: r.id, courtId: r.court_id, callerNumber: r.caller_number, what, recordingName: r.message ?? '', reason: r.in_hours === false ? 'after_hours' : 'queue_timeout' }];
  });
}

/**
 * Makes the tickets that calls are owed and did not get: the live intake tried for about two minutes and gave up
 * (PostgreSQL away), or the process that was trying stopped. One sweep at a time in the deployment (a lock in
 * Redis), so two processes never make a call's ticket at once; the intake is once per call anyway.
 * Each ticket made here is a repair and is logged as one.
 */
export class IntakeSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Calls whose ticket the tickets capability refused (said once): not tried again by this process. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly d: { db: Db; redis: Redis; prefix: string; intake: Pick<TicketIntake, 'messageLeft' | 'callbackRequested' | 'callsWithTickets'>; logger: Logger; now?: () => number },
  ) {}

  private stopped = false;

  /** Sweeps now and every `everyMs`; nothing once stopped (a start that comes after the stop does nothing). */
  start(everyMs: number): void {
    if (this.stopped) return;
    void this.run();
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep (none while another runs, here or elsewhere); resolves with the tickets made. Never rejects. */
  run(): Promise<number> {
    this.running ??= this.sweep()
      .catch((err: Error) => {
        this.d.logger.warn({ err: err.message }, 'could not sweep calls for tickets they are owed: trying at the next sweep');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<number> {
    const now = (this.d.now ?? Date.now)();
    const lock = `${this.d.prefix}:tel:intake-sweep`;
    const token = randomUUID();
    if ((await this.d.redis.set(lock, token, 'PX', sweepLockMs, 'NX')) !== 'OK') return 0;
    try {
      const owed = await callsOwedTickets(this.d.db, new Date(now - sweepBackMs), new Date(now - sweepAfterMs));
      const have = await this.d.intake.callsWithTickets(owed.map((o) => o.callId));
      let made = 0;
      for (const o of owed.filter((c) => !have.has(c.callId) && !this.refused.has(c.callId))) {
        // Still ours? A sweep slower than the lock's time (hundreds of calls after an outage) must not overlap another.
        if ((await this.d.redis.eval(extendIfOurs, 1, lock, token, sweepLockMs)) !== 1) break;
        const call = { callId: o.callId, courtId: o.courtId, callerNumber: o.callerNumber };
        try {
          await (o.what === 'message' ? this.d.intake.messageLeft({ ...call, recordingName: o.recordingName, reason: o.reason }) : this.d.intake.callbackRequested(call));
          made += 1;
          this.d.logger.warn({ callId: o.callId, what: o.what }, 'made the ticket a call was owed (its intake had failed)');
        } catch (err) {
          // A refusal is final (as for the live intake): said once, then left alone. Anything else: the next sweep.
          if (isRefusal(err)) this.refused.add(o.callId);
          this.d.logger.error({ callId: o.callId, what: o.what, err: (err as Error).message }, isRefusal(err) ? 'ticket a call is owed refused: left for a person' : 'ticket a call is owed not made: tried at the next sweep');
        }
      }
      return made;
    } finally {
      // Only our own lock: one that outlived sweepLockMs may be another sweep's by now.
      await this.d.redis.eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`, 1, lock, token);
    }
  }
}
