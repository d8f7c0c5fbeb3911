import { eq, inArray, sql } from 'drizzle-orm';
import { normalizeCaseNumber } from './case-number.ts';
import { changeTicket, snapshot, type TicketRow } from './change.ts';
import { appendEvent } from './audit.ts';
import { TrailSeal } from './audit-seal.ts';
import { systemActor, type TicketActor, type TicketContext } from './context.ts';
import { computeDeadline } from './deadline.ts';
import type { Tx } from '../platform/db/client.ts';
import { isRefusal } from '../platform/errors.ts';
import { forbidden } from './errors.ts';
import { writeOutbox } from './outbox.ts';
import { jobIds, jobNames, noticeQueue, type NotifyJob } from './queues.ts';
import { loadCourtCalendar } from './court-calendar.ts';
import { allocateTicketNumber, loadCategory, resolveHandler } from './repository.ts';
import {
  answerOnSpotSchema,
  attachCallSchema,
  createFromCallSchema,
  createFromMessageSchema,
  createFromTransferSchema,
  createTicketSchema,
  editTicketSchema,
  handOffSchema,
  parseInput,
  type CreateFromCallInput,
  type CreateFromMessageInput,
  type CreateFromTransferInput,
  type CreateTicketInput,
  type EditTicketInput,
  type HandOffInput,
} from './schemas.ts';
import { handoffNoticeJobs } from './sms/handoff-notice.ts';
import { handlerAudience } from './notices.ts';
import { ticketCalls, tickets } from './tickets.sql.ts';

interface NewTicket {
  courtId: string;
  ownerId: string | null;
  callId?: string | undefined;
  callerNumber?: string | undefined;
  callerName?: string | undefined;
  caseNumber?: string | undefined;
  category: string;
  summary: string;
  details: string;
  priority: 'normal' | 'urgent';
  /** Marked confidential at registration (tickets/confidential.ts). */
  confidential?: boolean | undefined;
}

/**
 * `oncePerCall`: the call's ticket if it has one already, read under a lock on the call, so that two tries at once
 * (the intake's retry and telephony's sweep, or a replay) make one ticket between them, never two.
 */
async function insertTicket(ctx: TicketContext, actor: TicketActor, fields: NewTicket, oncePerCall = false): Promise<TicketRow> {
  const caseNumber = fields.caseNumber?.trim() ? normalizeCaseNumber(fields.caseNumber, ctx.clock.now().getFullYear()) : null;
  const seal = TrailSeal.of(ctx.seals);
  let made = true;
  const row = await ctx.db.transaction(async (tx) => {
    if (oncePerCall && fields.callId) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`tickets.call:${fields.callId}`}, 0))`);
      const existing = await ticketOfCall(tx, fields.callId);
      if (existing) {
        made = false;
        return existing;
      }
    }
    const now = ctx.clock.now();
    await loadCategory(tx, fields.category);
    const number = await allocateTicketNumber(tx, fields.courtId, now);
    const [created] = await tx
      .insert(tickets)
      .values({
        number,
        courtId: fields.courtId,
        ownerId: fields.ownerId,
        callerNumber: fields.callerNumber ?? null,
        callerName: fields.callerName ?? null,
        caseNumber,
        category: fields.category,
        summary: fields.summary,
        details: fields.details,
        priority: fields.priority,
        confidential: fields.confidential ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (fields.callId) await tx.insert(ticketCalls).values({ ticketId: created!.id, callId: fields.callId, createdAt: now });
    const event = await appendEvent(tx, {
      courtId: fields.courtId,
      ticketId: created!.id,
      action: 'create',
      actorId: actor.userId,
      actorRole: actor.role,
      at: now,
      before: {},
      after: { ...snapshot(created!), callIds: fields.callId ? [fields.callId] : [] },
    }, seal);
    await writeOutbox(tx, [
      {
        queue: noticeQueue,
        name: jobNames.notify,
        jobId: jobIds.notify(event.id, 0),
        data: { eventId: event.id, ticketId: created!.id, courtId: fields.courtId, type: 'ticket.registered', audience: { roles: ['operator', 'manager'] }, data: { number, stage: 'answer' } } satisfies NotifyJob,
      },
    ]);
    return created!;
  });
  if (!made) return row;
  seal?.committed();
  ctx.onCommit();
  return row;
}

async function ticketOfCall(db: Tx, callId: string): Promise<TicketRow | undefined> {
  const [linked] = await db.select({ ticket: tickets }).from(ticketCalls).innerJoin(tickets, eq(tickets.id, ticketCalls.ticketId)).where(eq(ticketCalls.callId, callId)).limit(1);
  return linked?.ticket;
}

/** An operator (or manager) registers a ticket by hand; they own it (首问负责). */
export async function createTicket(ctx: TicketContext, actor: TicketActor, input: CreateTicketInput): Promise<TicketRow> {
  if (actor.role !== 'operator' && actor.role !== 'manager') throw forbidden('Only operators and managers register tickets', '只有话务员和管理人员可以登记工单');
  const fields = parseInput(createTicketSchema, input);
  return insertTicket(ctx, actor, { ...fields, courtId: actor.courtId, ownerId: actor.userId });
}

/**
 * Telephony's entry point: a draft ticket for an answered call (owned by the operator who answered),
 * created by the system. Independent of telephony: it takes plain call facts.
 */
export async function createFromCall(ctx: TicketContext, input: CreateFromCallInput): Promise<TicketRow> {
  const call = parseInput(createFromCallSchema, input);
  return insertTicket(ctx, systemActor(call.courtId), {
    courtId: call.courtId,
    ownerId: call.operatorId ?? null,
    callId: call.callId,
    callerNumber: call.callerNumber,
    callerName: call.callerName,
    caseNumber: call.caseNumber,
    category: call.category ?? 'enquiry',
    summary: call.summary ?? '来电登记（待补充）',
    details: '',
    priority: 'normal',
  });
}

/** Of these calls, those that have a ticket (telephony's sweep of the tickets its calls are owed). */
export async function callsWithTickets(ctx: TicketContext, callIds: string[]): Promise<Set<string>> {
  if (callIds.length === 0) return new Set();
  const rows = await ctx.db.selectDistinct({ callId: ticketCalls.callId }).from(ticketCalls).where(inArray(ticketCalls.callId, callIds));
  return new Set(rows.map((r) => r.callId));
}

const messageSummaries = {
  message: { after_hours: '非工作时间留言，待回电登记', queue_timeout: '等待超时留言，待回电登记' },
  callback: { after_hours: '来电请求回电，待回电登记', queue_timeout: '等待超时请求回电，待回电登记' },
} as const;

/**
 * A message or a callback request: an unowned ticket in the answer stage (接听), the matter not yet registered;
 * the operator who returns the call takes it over by registering it. Once per call: a replayed request
 * (telephony restarted mid-call) returns the ticket already made; a message left on a call that has a ticket
 * already (a menu transfer no one took, then the wait ran out) names its recording on that ticket.
 */
export async function createFromMessage(ctx: TicketContext, input: CreateFromMessageInput): Promise<TicketRow> {
  const m = parseInput(createFromMessageSchema, input);
  // The call's ticket if it has one (looked up under the call's lock), else a new one.
  const ticket = await insertTicket(ctx, systemActor(m.courtId), {
    courtId: m.courtId,
    ownerId: null,
    callId: m.callId,
    callerNumber: m.callerNumber,
    category: 'enquiry',
    summary: messageSummaries[m.kind][m.reason ?? 'after_hours'],
    details: m.recordingName ? recordingNote(m.recordingName) : '',
    priority: 'normal',
  }, true);
  return m.recordingName ? withMessageRecording(ctx, ticket, m.recordingName) : ticket;
}

const recordingNote = (name: string) => `留言录音 (recording): ${name}`;

/** The message's recording named in the ticket's details, once (a replay adds nothing). */
async function withMessageRecording(ctx: TicketContext, ticket: TicketRow, recordingName: string): Promise<TicketRow> {
  const note = recordingNote(recordingName);
  if (ticket.details.includes(note)) return ticket;
  return editTicket(ctx, systemActor(ticket.courtId), ticket.id, { details: ticket.details ? `${ticket.details}\n${note}` : note });
}

const transferOutcomesZh = { answered: '已接通', no_answer: '无人接听', busy: '占线', rejected: '拒接', failed: '呼叫失败', cancelled: '已取消', caller_left: '来电人挂断' } as const;

/**
 * A call transferred to a judge or department becomes a ticket handed off to them, whatever the transfer's
 * outcome (the transferred-call ticket): the operator's draft for the call when it is still in the answer
 * stage, else a new one (owned by the operator who transferred, if any). Once per call and handler: a
 * replayed request returns the ticket already handed off. A target that cannot take a hand-off leaves the
 * ticket in the answer stage with the reason in its details.
 */
export async function createFromTransfer(ctx: TicketContext, input: CreateFromTransferInput): Promise<TicketRow> {
  const t = parseInput(createFromTransferSchema, input);
  const handler = t.handlerUserId ? { handlerUserId: t.handlerUserId } : { handlerDepartmentId: t.handlerDepartmentId! };
  const linked = await ctx.db.select({ ticket: tickets }).from(ticketCalls).innerJoin(tickets, eq(tickets.id, ticketCalls.ticketId)).where(eq(ticketCalls.callId, t.callId));
  const done = linked.find(({ ticket }) => ticket.stage !== 'answer' && (ticket.handlerUserId ?? null) === (t.handlerUserId ?? null) && (ticket.handlerDepartmentId ?? null) === (t.handlerDepartmentId ?? null));
  if (done) return done.ticket;
  // A target that cannot take a hand-off (a judge with no department, a user since deactivated) must not
  // leave the transfer without a ticket: it stays in the answer stage, saying why, for an operator to route.
  const refusal = await resolveHandler(ctx.db, t.courtId, handler).then(
    () => null,
    (err: unknown) => {
      if (isRefusal(err)) return err;
      throw err;
    },
  );
  const unrouted = refusal ? `；未能自动交办（${refusal.messageZh}），请话务员转交` : '';
  const note = `转接${t.targetLabel}：${transferOutcomesZh[t.outcome]}${t.recordingName ? `；留言录音 (recording): ${t.recordingName}` : ''}${unrouted}`;
  const draft = linked.find(({ ticket }) => ticket.stage === 'answer')?.ticket;
  const ticket =
    draft ??
    (await insertTicket(ctx, systemActor(t.courtId), {
      courtId: t.courtId,
      ownerId: t.operatorId ?? null,
      callId: t.callId,
      callerNumber: t.callerNumber,
      caseNumber: t.caseNumber,
      category: 'contact_judge',
      summary: `来电转接承办人（${t.targetLabel}）`,
      details: note,
      priority: 'normal',
    }));
  // A replayed request (the first attempt failed after this edit) does not add the note twice.
  const edited = draft && !draft.details.includes(note)
    ? await editTicket(ctx, systemActor(t.courtId), draft.id, { details: draft.details ? `${draft.details}\n${note}` : note, ...(t.caseNumber && !draft.caseNumber ? { caseNumber: t.caseNumber } : {}) })
    : ticket;
  if (refusal) return edited;
  return handOff(ctx, systemActor(t.courtId), ticket.id, handler);
}

/** Another call about the same matter joins the ticket. */
export async function attachCall(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { callId: string }): Promise<TicketRow> {
  const { callId } = parseInput(attachCallSchema, input);
  return changeTicket(ctx, actor, ticketId, 'attach_call', async (ticket, tx, now) => {
    const inserted = await tx.insert(ticketCalls).values({ ticketId: ticket.id, callId, createdAt: now }).onConflictDoNothing().returning();
    return { eventExtra: { callId, alreadyAttached: inserted.length === 0 } };
  });
}

export async function editTicket(ctx: TicketContext, actor: TicketActor, ticketId: string, input: EditTicketInput): Promise<TicketRow> {
  const { reason, ...fields } = parseInput(editTicketSchema, input);
  return changeTicket(ctx, actor, ticketId, 'edit', async (_ticket, tx, now) => {
    if (fields.category) await loadCategory(tx, fields.category);
    const caseNumber = fields.caseNumber === undefined ? undefined : fields.caseNumber.trim() ? normalizeCaseNumber(fields.caseNumber, now.getFullYear()) : null;
    return { patch: { ...fields, ...(caseNumber !== undefined ? { caseNumber } : {}) }, reason: reason ?? null };
  });
}

/** Answered on the spot: closed at once (still counted), or kept for a return visit when the category says so. */
export async function answerOnSpot(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { answer: string }): Promise<TicketRow> {
  const { answer } = parseInput(answerOnSpotSchema, input);
  const [current] = await ctx.db.select({ category: tickets.category }).from(tickets).where(eq(tickets.id, ticketId));
  const category = current ? await loadCategory(ctx.db, current.category) : null;
  const action = category?.callbackWhenAnsweredOnSpot ? 'answer_on_spot_with_callback' : 'answer_on_spot';
  return changeTicket(ctx, actor, ticketId, action, (ticket, _tx, now) => ({
    patch: { answeredOnSpot: true, feedbackText: answer, repliedAt: now, deliveredAt: now, deliveryChannel: 'phone', ownerId: ticket.ownerId ?? actor.userId },
  }));
}

/** 交办: to a judge or a department, with the category's deadline on the working-day calendar. */
export async function handOff(ctx: TicketContext, actor: TicketActor, ticketId: string, input: HandOffInput): Promise<TicketRow> {
  const target = parseInput(handOffSchema, input);
  return changeTicket(ctx, actor, ticketId, 'hand_off', async (ticket, tx, now) => {
    const handler = await resolveHandler(tx, ticket.courtId, target);
    const category = await loadCategory(tx, ticket.category);
    const deadline = computeDeadline({ days: category.deadlineDays, dayKind: category.dayKind }, now, await loadCourtCalendar(tx, ticket.courtId));
    return {
      patch: { ...handler, handedOffAt: now, acceptedAt: null, deadline, ownerId: ticket.ownerId ?? (actor.role === 'system' ? null : actor.userId) },
      timers: 'replan',
      notices: [{ type: 'ticket.assigned', audience: handlerAudience(handler), data: { deadline: deadline.toISOString() } }],
      jobs: await handoffNoticeJobs(ctx, tx, ticket, actor, now),
    };
  });
}
