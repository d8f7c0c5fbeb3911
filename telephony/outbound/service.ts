import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import { maskPhone } from '../../platform/masking.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { LiveState } from '../acd/live-state.ts';
import type { PresenceState } from '../presence/presence-state.ts';
import { calls } from '../telephony.sql.ts';
import { outboundRefusal } from './errors.ts';
import { outboundAttempts, outboundRequests } from './outbound.sql.ts';
import type { OutboundScheduler } from './scheduler.ts';
import { callableOutcomes, type OutboundMode, type OutboundPurpose, type OutboundRequest } from './types.ts';

/**
 * What a callback request needs of the tickets capability (court scope and read rights included): `dialTarget`, the
 * number to dial; `get`, whether the ticket is masked for this reader (a confidential complaint shows no number at all).
 */
export interface OutboundTicketReader {
  dialTarget(actor: Actor, ticketId: string): Promise<{ stage: string; callerNumber: string | null }>;
  get(actor: Actor, ticketId: string): Promise<{ masked: boolean }>;
}

export interface OutboundInput {
  purpose: OutboundPurpose;
  mode: OutboundMode;
  ticketId?: string | undefined;
  callId?: string | undefined;
  /** A relay filed by the tickets capability for its delivery row (relay-dialer.ts): filed once, however often asked. */
  deliveryId?: string | undefined;
  /** Attempts in all (at most the deployment's): the automatic callback dials once per request. */
  attempts?: number | undefined;
}

export type OutboundView = Awaited<ReturnType<OutboundService['get']>>;

/** The ticket stage each purpose belongs to: a reply is relayed in feedback (反馈), a return visit made in callback (回访). */
const stageFor = { relay: 'feedback', return_visit: 'callback' } as const;
/** Presence states from which an operator may start a callback (not while a call rings or is in hand). */
const freeStates: readonly PresenceState[] = ['ready', 'paused', 'wrap_up'];

/**
 * Callback requests for the API: checks the ticket or call (in the actor's court), the operator's softphone and
 * presence, writes the request row and queues its first attempt. The controller (telephony role) dials.
 */
/** A record written with a callback request, in its transaction, and undone if its first attempt cannot be scheduled. */
export interface AlongsideRecord {
  record(tx: Tx, requestId: string): Promise<void>;
  undo(tx: Tx, requestId: string): Promise<void>;
}

export class OutboundService {
  constructor(
    private readonly db: Db,
    private readonly live: LiveState,
    private readonly scheduler: OutboundScheduler,
    private readonly tickets: OutboundTicketReader,
    readonly maxAttempts: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Files a callback and schedules its first attempt. `alongside` is the caller's own record of it (the automatic
   * callback's row), written in the request's transaction and undone with it when the attempt cannot be scheduled:
   * it stands exactly when a call may be dialled.
   */
  async request(actor: Actor, input: OutboundInput, alongside?: AlongsideRecord): Promise<OutboundView> {
    if (input.deliveryId) {
      // Asked again (a retried job): the request already filed for the delivery, never a second call.
      const [filed] = await this.db.select({ id: outboundRequests.id }).from(outboundRequests).where(eq(outboundRequests.deliveryId, input.deliveryId));
      if (filed) return this.get(actor, filed.id);
    }
    const target = await this.target(actor, input);
    let endpoint: string | null = null;
    if (input.mode === 'operator') {
      const [user] = await this.db.select({ sipEndpoint: users.sipEndpoint }).from(users).where(eq(users.id, actor.userId));
      if (!user?.sipEndpoint) throw outboundRefusal('no_softphone', 409, '您没有配置软电话分机，无法回拨', 'you have no softphone endpoint (users.sip_endpoint) to call back from');
      endpoint = user.sipEndpoint;
      const op = await this.live.operator(actor.userId);
      if (op && !freeStates.includes(op.state)) throw outboundRefusal('operator_busy', 409, `当前坐席状态（${op.state}）下不能回拨`, `cannot call back while ${op.state}`);
    }
    const open = await this.db
      .select({ id: outboundRequests.id })
      .from(outboundRequests)
      .where(
        and(
          eq(outboundRequests.courtId, actor.courtId),
          inArray(outboundRequests.status, ['scheduled', 'dialling']),
          input.ticketId ? eq(outboundRequests.ticketId, input.ticketId) : eq(outboundRequests.callId, input.callId!),
        ),
      )
      .limit(1);
    if (open[0]) throw outboundRefusal('outbound_in_progress', 409, `该回拨正在进行（${open[0].id}）`, `a callback for this is already under way (${open[0].id})`);

    const now = new Date(this.now());
    const request: OutboundRequest = {
      id: randomUUID(),
      courtId: actor.courtId,
      purpose: input.purpose,
      mode: input.mode,
      ticketId: input.ticketId ?? null,
      callId: input.callId ?? null,
      number: target.number,
      requestedBy: { userId: actor.userId, role: actor.role, courtId: actor.courtId, departmentId: actor.departmentId },
      endpoint,
      ...(input.attempts ? { attempts: Math.min(input.attempts, this.maxAttempts) } : {}),
    };
    await this.db.transaction(async (tx) => {
      await tx.insert(outboundRequests).values({
      id: request.id,
      courtId: request.courtId,
      purpose: request.purpose,
      mode: request.mode,
      ticketId: request.ticketId,
      callId: request.callId,
      deliveryId: input.deliveryId ?? null,
      number: request.number,
      requestedBy: actor.userId,
      endpoint,
      requestedAt: now,
      status: 'scheduled',
      nextAttemptAt: now,
      updatedAt: now,
      });
      await alongside?.record(tx, request.id);
    });
    try {
      await this.scheduler.scheduleAttempt(request, 1, now.getTime());
    } catch {
      await this.db.transaction(async (tx) => {
        await tx.update(outboundRequests).set({ status: 'failed', detail: 'queue unavailable', finishedAt: now, updatedAt: now }).where(eq(outboundRequests.id, request.id));
        await alongside?.undo(tx, request.id);
      });
      throw outboundRefusal('queue_unavailable', 503, '回拨队列暂不可用，请稍后重试', 'the callback queue (Redis) is unavailable: try again shortly');
    }
    return this.get(actor, request.id);
  }

  /** The number to dial: the ticket's caller (its stage must fit the purpose) or a missed call's caller. */
  private async target(actor: Actor, input: OutboundInput): Promise<{ number: string }> {
    if (input.purpose === 'missed_call') {
      const [call] = await this.db.select().from(calls).where(and(eq(calls.id, input.callId!), eq(calls.courtId, actor.courtId)));
      if (!call) throw outboundRefusal('not_found', 404, `来电 ${input.callId} 不存在`, `call ${input.callId} does not exist`);
      if (!call.outcome || !(callableOutcomes as readonly string[]).includes(call.outcome)) {
        throw outboundRefusal('call_not_callable', 409, '只能回拨请求回电、排队放弃或留言的来电', 'only calls that asked for a callback, gave up in the queue or left a message are called back');
      }
      return { number: call.callerNumber };
    }
    // Not the ticket view: a confidential ticket's number is masked there, but a callback still dials it.
    const ticket = await this.tickets.dialTarget(actor, input.ticketId!);
    const stage = stageFor[input.purpose];
    if (ticket.stage !== stage) {
      throw outboundRefusal('ticket_not_in_stage', 409, `工单不在${stage === 'feedback' ? '反馈' : '回访'}环节`, `the ticket is not in the ${stage} stage (it is in ${ticket.stage})`);
    }
    if (!ticket.callerNumber) throw outboundRefusal('no_caller_number', 409, '工单没有来电号码，无法回拨', 'the ticket has no caller number to dial');
    return { number: ticket.callerNumber };
  }

  /** A request with its legs; another court's is "not found". */
  async get(actor: Actor, id: string) {
    const [row] = await this.db.select().from(outboundRequests).where(and(eq(outboundRequests.id, id), eq(outboundRequests.courtId, actor.courtId)));
    if (!row) throw outboundRefusal('not_found', 404, `回拨 ${id} 不存在`, `callback ${id} does not exist`);
    const legs = await this.db.select().from(outboundAttempts).where(eq(outboundAttempts.outboundId, id)).orderBy(asc(outboundAttempts.startedAt), asc(outboundAttempts.leg));
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    // A confidential ticket's caller is not shown even in part to a reader it is masked for (or who cannot read it).
    const hidden = row.ticketId ? await this.tickets.get(actor, row.ticketId).then((t) => t.masked, () => true) : false;
    return {
      id: row.id,
      purpose: row.purpose,
      mode: row.mode,
      ticketId: row.ticketId,
      callId: row.callId,
      deliveryId: row.deliveryId,
      operatorId: row.requestedBy,
      callerNumberMasked: hidden ? '' : (maskPhone(row.number) ?? ''),
      status: row.status,
      attempts: row.attempts,
      maxAttempts: this.maxAttempts,
      nextAttemptAt: iso(row.nextAttemptAt),
      result: row.result,
      satisfaction: row.satisfaction,
      detail: row.detail,
      requestedAt: row.requestedAt.toISOString(),
      finishedAt: iso(row.finishedAt),
      legs: legs.map((l) => ({ attempt: l.attempt, leg: l.leg, outcome: l.outcome, startedAt: l.startedAt.toISOString(), answeredAt: iso(l.answeredAt), endedAt: l.endedAt.toISOString(), detail: l.detail })),
    };
  }
}
