import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { HotlineError } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/masking.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { recordings } from '../recordings/recordings.sql.ts';
import { publishEvent } from '../realtime-events.ts';
import { callEvents, calls } from '../telephony.sql.ts';
import { abandonedEntries, type AbandonedEntry } from './abandoned.ts';
import { claimStaleMs, dropStaleClaims, linkClaimToTicket, lockCallerDay, undoClaim, usableNumber as usable } from './claims.ts';
import { unownedClaims } from './unowned.sql.ts';

/** What the unowned queue needs of the tickets capability (its service; court scope and read rights included). */
export interface UnownedTicketPort {
  /** `sourceCallIds`: the calls behind each, a masked one's too (never shown: they lead to the caller's number). */
  unowned(actor: Actor, since: Date): Promise<Array<{ id: string; number: string; summary: string; callerNumber: string | null; masked: boolean; createdAt: Date; sourceCallIds: string[] }>>;
  claim(actor: Actor, ticketId: string): Promise<{ id: string; number: string }>;
  /** The ticket as this actor may read it (a confidential one masked: no number). */
  get(actor: Actor, ticketId: string): Promise<{ callerNumber: string | null; masked: boolean; createdAt: Date | string }>;
  create(actor: Actor, input: { summary: string; details?: string; category?: string; callerNumber?: string; callId?: string }): Promise<{ id: string; number: string }>;
}

export const unownedKinds = ['message', 'callback', 'unrouted', 'abandoned'] as const;
export type UnownedKind = (typeof unownedKinds)[number];

export interface UnownedEntry {
  /** `ticket:<id>` or `abandoned:<latest call id>`: what a claim names and the realtime event removes. */
  key: string;
  kind: UnownedKind;
  ticketId: string | null;
  ticketNumber: string | null;
  summary: string | null;
  callerNumberMasked: string;
  tries: number;
  /** The tries' times, newest first. */
  times: string[];
  lastAt: string;
  /** The latest call behind the entry (its recording, its trail). */
  callId: string | null;
  menuOption: string | null;
  /** Where the page plays the caller's message (GET /api/telephony/calls/:callId/recording?kind=message), when one is stored. */
  recordingUrl: string | null;
  autoCallback: { attempts: number; lastStatus: AbandonedEntry['autoLastStatus']; lastResult: AbandonedEntry['autoLastResult']; lastAt: string | null } | null;
}

const dayMs = 86_400_000;
const chinaOffsetMs = 8 * 3_600_000;
/** The start of the China day `daysBack` days before the one `now` falls in. */
/** The China day (YYYY-MM-DD) an instant falls on. */
export const chinaDay = (d: Date) => new Date(d.getTime() + chinaOffsetMs).toISOString().slice(0, 10);
export const chinaDayStart = (now: number, daysBack = 0) => new Date(Math.floor((now + chinaOffsetMs) / dayMs) * dayMs - chinaOffsetMs - daysBack * dayMs);

const notUnowned = () => new HotlineError('not_unowned', 409, 'This caller has since been claimed, answered or called back', '该来电已被认领、已接通或已回拨成功');
const alreadyClaimed = () => new HotlineError('already_claimed', 409, 'Another operator claimed this caller first', '该来电已被其他话务员认领');
const zhOption: Record<string, string> = { judge_contact: '联系承办法官', enquiry: '诉讼咨询', complaint: '投诉建议', operator: '人工服务' };
const categoryOf: Record<string, string> = { complaint: 'complaint', judge_contact: 'contact_judge' };

/**
 * The unowned queue (无人认领) of an operator's court: messages and callback requests no operator has taken (tickets
 * with no owner), and callers who gave up waiting (abandoned.ts), one entry per caller and China day; and the claim
 * (认领) that makes an operator the first-contact owner of one.
 */
export class UnownedService {
  constructor(
    private readonly db: Db,
    private readonly tickets: UnownedTicketPort,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async list(actor: Actor, days: number): Promise<UnownedEntry[]> {
    const since = chinaDayStart(this.now(), days - 1);
    const [tickets, abandoned] = await Promise.all([this.tickets.unowned(actor, since), abandonedEntries(this.db, { courtId: actor.courtId, since, now: this.now() })]);
    const callIds = [...new Set(tickets.flatMap((t) => t.sourceCallIds))];
    const [callRows, messages, choices] = callIds.length
      ? await Promise.all([
          this.db.select({ id: calls.id, outcome: calls.outcome, arrivedAt: calls.arrivedAt }).from(calls).where(and(inArray(calls.id, callIds), eq(calls.courtId, actor.courtId))),
          this.db.select({ callId: recordings.callId }).from(recordings).where(and(inArray(recordings.callId, callIds), eq(recordings.kind, 'message'), eq(recordings.status, 'stored'))),
          this.db.select({ callId: callEvents.callId, option: sql<string>`${callEvents.data}->>'option'` }).from(callEvents).where(and(inArray(callEvents.callId, callIds), eq(callEvents.kind, 'menu_choice'))),
        ])
      : [[], [], []];
    const callOf = new Map(callRows.map((c) => [c.id, c]));
    const recorded = new Set(messages.map((m) => m.callId));
    const optionOf = new Map(choices.map((c) => [c.callId, c.option]));

    // A caller who gave up and also left a message or asked for a callback that day is one entry: the newest such
    // ticket's, counting every try (claiming it covers them all). A masked ticket has no number to match: never folded.
    const ticketOfCallerDay = new Map<string, UnownedEntry>();
    const fromTickets: UnownedEntry[] = tickets.map((t) => {
      const call = t.sourceCallIds.map((id) => callOf.get(id)).find((c) => c !== undefined);
      const kind: UnownedKind = call?.outcome === 'message_left' || (call && recorded.has(call.id)) ? 'message' : call?.outcome === 'callback_requested' ? 'callback' : 'unrouted';
      const arrived = call?.arrivedAt ?? t.createdAt;
      const at = arrived.toISOString();
      const entry: UnownedEntry = {
        key: `ticket:${t.id}`,
        kind,
        ticketId: t.id,
        ticketNumber: t.number,
        summary: t.summary,
        callerNumberMasked: t.masked ? '' : (maskPhone(t.callerNumber) ?? ''),
        tries: 1,
        times: [at],
        lastAt: at,
        callId: t.masked ? null : (call?.id ?? null),
        menuOption: call ? (optionOf.get(call.id) ?? null) : null,
        recordingUrl: call && recorded.has(call.id) && !t.masked ? `/api/telephony/calls/${call.id}/recording?kind=message` : null,
        autoCallback: null,
      };
      const key = `${t.callerNumber}|${chinaDay(arrived)}`;
      if (!t.masked && t.callerNumber && usable(t.callerNumber) && !ticketOfCallerDay.has(key)) ticketOfCallerDay.set(key, entry);
      return entry;
    });
    const alone: UnownedEntry[] = [];
    for (const a of abandoned) {
      const ticket = usable(a.callerNumber) ? ticketOfCallerDay.get(`${a.callerNumber}|${a.day}`) : undefined;
      if (!ticket) {
        alone.push(abandonedView(a));
        continue;
      }
      const view = abandonedView(a);
      ticket.tries += a.tries;
      ticket.times = [...ticket.times, ...view.times].sort((x, y) => y.localeCompare(x));
      ticket.lastAt = ticket.times[0]!;
      ticket.menuOption ??= a.menuOption;
      ticket.autoCallback = view.autoCallback;
    }
    return [...fromTickets, ...alone].sort((a, b) => b.lastAt.localeCompare(a.lastAt));
  }

  /**
   * 认领. A ticket: the operator becomes its owner (tickets' `claim` command, audited in its trail; 409 when someone
   * was first). A caller who gave up: under a lock on the caller and day (claims.ts), the entry is re-read and its claim
   * row inserted (keyed by their latest try; refused with 409 when a standing claim already covers the try named, so of
   * two operators exactly one wins, whichever try each names), then a ticket owned by the operator (tickets' `create`,
   * audited) to call back from. A claim left without its ticket by a crash is void after claimStaleMs and replaced.
   * Everyone's queue drops the entry at once (`unowned.claimed`).
   */
  async claim(actor: Actor, target: { ticketId?: string | undefined; callId?: string | undefined }) {
    const claimed = target.ticketId ? await this.claimTicket(actor, target.ticketId) : await this.claimAbandoned(actor, target.callId!);
    await publishEvent(this.events, {
      type: 'unowned.claimed',
      courtId: actor.courtId,
      audience: { roles: ['operator', 'manager'] },
      data: { key: claimed.key, kind: claimed.kind, ticketId: claimed.ticketId, claimedBy: actor.userId },
    }).catch(() => undefined);
    return claimed;
  }

  private async claimTicket(actor: Actor, ticketId: string) {
    const ticket = await this.tickets.claim(actor, ticketId);
    // The number to call back, as the new owner may read it: a confidential ticket's stays hidden (tickets/confidential.ts).
    const view = await this.tickets.get(actor, ticketId);
    if (!view.masked && view.callerNumber && usable(view.callerNumber)) await this.coverTries(actor, ticketId, view.callerNumber, chinaDay(new Date(view.createdAt)));
    return { key: `ticket:${ticketId}`, kind: 'ticket' as const, ticketId: ticket.id, ticketNumber: ticket.number, callerNumber: view.masked ? null : view.callerNumber };
  }

  /** The claimed ticket's caller also gave up that day: those tries are claimed with it (they were one entry). */
  private async coverTries(actor: Actor, ticketId: string, callerNumber: string, day: string): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      await lockCallerDay(tx, actor.courtId, callerNumber, day);
      const entries = await abandonedEntries(tx, { courtId: actor.courtId, since: chinaDayStart(Date.parse(`${day}T12:00:00+08:00`)), callerNumber, now });
      await dropStaleClaims(tx, { courtId: actor.courtId, callerNumber, day, now });
      for (const e of entries.filter((x) => x.day === day)) {
        await tx
          .insert(unownedClaims)
          .values({ callId: e.lastCallId, courtId: actor.courtId, callerNumber, day, through: e.lastAt, tries: e.tries, claimedBy: actor.userId, claimedAt: new Date(now), ticketId })
          .onConflictDoNothing();
      }
    });
  }

  private async claimAbandoned(actor: Actor, callId: string) {
    const [call] = await this.db.select({ callerNumber: calls.callerNumber, arrivedAt: calls.arrivedAt }).from(calls).where(and(eq(calls.id, callId), eq(calls.courtId, actor.courtId))).limit(1);
    if (!call) throw new HotlineError('call_not_found', 404, `call ${callId} does not exist`, `来电 ${callId} 不存在`);
    const now = this.now();
    const current = await this.db.transaction(async (t) => {
      const tx = t as unknown as Db;
      // One claim of this caller and day at a time: the re-read below sees every claim committed before it.
      await lockCallerDay(tx, actor.courtId, call.callerNumber, chinaDay(call.arrivedAt));
      // The entry as it stands now (a newer try may have joined it since the page loaded): the one naming this call.
      // A withheld number's entry is that one call.
      const entries = await abandonedEntries(tx, { courtId: actor.courtId, since: chinaDayStart(now, 13), callerNumber: call.callerNumber, now });
      const entry = entries.find((e) => e.lastCallId === callId || (usable(call.callerNumber) && e.times.some((t) => t.getTime() === call.arrivedAt.getTime())));
      if (!entry) throw notUnowned();
      // A void claim (no ticket after claimStaleMs) makes way: the entry above already ignored it.
      if (usable(entry.callerNumber)) {
        await dropStaleClaims(tx, { courtId: actor.courtId, callerNumber: entry.callerNumber, day: entry.day, now });
      } else {
        await tx.delete(unownedClaims).where(and(eq(unownedClaims.callId, entry.lastCallId), isNull(unownedClaims.ticketId), lte(unownedClaims.claimedAt, new Date(now - claimStaleMs))));
      }
      const inserted = await tx
        .insert(unownedClaims)
        .values({ callId: entry.lastCallId, courtId: actor.courtId, callerNumber: entry.callerNumber, day: entry.day, through: entry.lastAt, tries: entry.tries, claimedBy: actor.userId, claimedAt: new Date(now) })
        .onConflictDoNothing()
        .returning({ callId: unownedClaims.callId });
      if (inserted.length === 0) throw alreadyClaimed();
      return entry;
    });
    const claim = { callId: current.lastCallId, claimedBy: actor.userId, claimedAt: new Date(now) };
    let ticket: { id: string; number: string } | undefined;
    try {
      const option = current.menuOption ? `，选择“${zhOption[current.menuOption] ?? current.menuOption}”` : '';
      ticket = await this.tickets.create(actor, {
        summary: `来电放弃（${current.tries} 次${option}），待回电登记`,
        details: `放弃时间 (abandoned at): ${current.times.map((t) => t.toISOString()).join(', ')}`,
        category: categoryOf[current.menuOption ?? ''] ?? 'enquiry',
        ...(usable(current.callerNumber) ? { callerNumber: current.callerNumber } : {}),
        callId: current.lastCallId,
      });
      await linkClaimToTicket(this.db, claim, ticket.id, this.logger);
    } catch (err) {
      // No ticket: the entry goes back to the queue as it was. A ticket made stands, with its claim (claims.ts).
      await undoClaim(this.db, claim, ticket?.id, err, this.logger);
      if (!ticket) throw err;
    }
    return { key: `abandoned:${current.lastCallId}`, kind: 'abandoned' as const, ticketId: ticket.id, ticketNumber: ticket.number, callerNumber: current.callerNumber };
  }
}

function abandonedView(e: AbandonedEntry): UnownedEntry {
  return {
    key: `abandoned:${e.lastCallId}`,
    kind: 'abandoned',
    ticketId: null,
    ticketNumber: null,
    summary: null,
    callerNumberMasked: maskPhone(e.callerNumber) ?? '',
    tries: e.tries,
    times: e.times.map((t) => t.toISOString()),
    lastAt: e.lastAt.toISOString(),
    callId: e.lastCallId,
    menuOption: e.menuOption,
    recordingUrl: null,
    autoCallback: e.autoAttempts > 0 ? { attempts: e.autoAttempts, lastStatus: e.autoLastStatus, lastResult: e.autoLastResult, lastAt: e.autoLastAt?.toISOString() ?? null } : null,
  };
}
