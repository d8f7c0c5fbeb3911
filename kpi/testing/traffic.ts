/**
 * A month of random hotline traffic with its true answers. Calls are written as telephony writes them
 * (a call row and its events); tickets go through the real TicketService with a settable clock, so their
 * events are the real ones. The generator records what it did; `truth` counts from that record alone.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { TicketService } from '../../tickets/service.ts';
import { deliverByPhone } from '../../tickets/testing/phone-delivery.ts';
import type { Court } from '../../tickets/testing/harness.ts';

export interface GeneratedCall {
  id: string;
  arrivedAt: number;
  operatorId: string | null;
  offered: boolean;
  answered: boolean;
  abandoned: boolean;
  waitMs: number | null;
  handleMs: number | null;
  ticketId: string | null;
  /** Transfer legs to judges that count as attempts (not cancelled), and those answered. */
  transferAttempts: number;
  transfersConnected: number;
}

export interface GeneratedTicket {
  id: string;
  createdAt: number;
  category: string;
  operatorId: string | null;
  judgeId: string | null;
  departmentId: string | null;
  byPerson: boolean;
  onSpot: boolean;
  /** The deadline the ticket falls on: the first one, moved only by extensions approved before it passed. */
  dueAt: number | null;
  deliveredAt: number | null;
  voidedAt: number | null;
  callbackDue: boolean;
  satisfaction: string | null;
  chases: number;
  reopened: number;
}

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Traffic {
  calls: GeneratedCall[];
  tickets: GeneratedTicket[];
}

const categories = ['enquiry', 'case_progress', 'complaint', 'execution_lead'];
const minute = 60_000;
const hour = 60 * minute;

/** Inserts a call row and its events exactly as telephony's journal does (append-only records). */
export async function insertCall(db: Db, courtId: string, c: { id: string; arrivedAt: number; inHours: boolean; queuedAt: number | null; answeredAt: number | null; endedAt: number; outcome: string; operatorId: string | null }): Promise<void> {
  const t = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  await db.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours, skill, queued_at, answered_at, answered_by)
    values (${c.id}, ${courtId}, ${'ch-' + c.id}, '13800138000', '12368', ${t(c.arrivedAt)}, ${c.outcome}, 'caller', ${t(c.endedAt)}, ${c.inHours}, ${c.queuedAt === null ? null : 'general'}, ${t(c.queuedAt)}, ${t(c.answeredAt)}, ${c.operatorId})`);
  const events: [string, number, string | null][] = [['arrived', c.arrivedAt, null]];
  if (c.queuedAt !== null) events.push(['queued', c.queuedAt, null]);
  if (c.answeredAt !== null) events.push(['answered', c.answeredAt, c.operatorId]);
  events.push(['hangup', c.endedAt, null]);
  for (const [i, [kind, at, op]] of events.entries()) {
    await db.execute(sql`insert into telephony.call_events (id, call_id, court_id, at, seq, kind, operator_id, data) values (${randomUUID()}, ${c.id}, ${courtId}, ${t(at)}, ${i + 1}, ${kind}, ${op}, '{}'::jsonb)`);
  }
}

const transferLegOutcomes = ['answered', 'answered', 'answered', 'no_answer', 'busy', 'cancelled', 'caller_left'] as const;

/** A transfer leg row as telephony writes it (telephony/records/repository.ts). */
async function insertTransferLeg(db: Db, courtId: string, l: { callId: string; seq: number; judgeId: string; startedAt: number; outcome: string }): Promise<void> {
  const t = (ms: number) => new Date(ms).toISOString();
  await db.execute(sql`insert into telephony.transfer_legs (call_id, seq, court_id, mode, target_kind, target_user_id, target_label, dial, started_at, answered_at, ended_at, outcome)
    values (${l.callId}, ${l.seq}, ${courtId}, 'blind', 'judge', ${l.judgeId}, '法官', 'PJSIP/8001', ${t(l.startedAt)}, ${l.outcome === 'answered' ? t(l.startedAt + 5000) : null}, ${t(l.startedAt + 20_000)}, ${l.outcome})`);
}

export async function generateMonth(options: { db: Db; service: TicketService; setNow: (ms: number) => void; court: Court; monthStart: number; calls: number; seed: number }): Promise<Traffic> {
  const { db, service, setNow, court, monthStart } = options;
  const rnd = prng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const operators: Actor[] = [court.operator, court.operator2];
  const judges: Actor[] = [court.judge, court.judge2];
  const calls: GeneratedCall[] = [];
  const tickets: GeneratedTicket[] = [];
  const monthMs = 30 * 24 * hour;

  for (let i = 0; i < options.calls; i++) {
    const id = randomUUID();
    const arrivedAt = monthStart + Math.floor(rnd() * (monthMs - 2 * hour));
    const inHours = rnd() < 0.9;
    const queued = inHours && rnd() < 0.85;
    const queuedAt = queued ? arrivedAt + 5_000 + Math.floor(rnd() * 30_000) : null;
    const fate = rnd();
    const answered = queued && fate < 0.75;
    const abandoned = queued && !answered && fate < 0.92;
    const waitMs = queued ? Math.floor(rnd() * 60_000) : null;
    const operator = answered ? pick(operators) : null;
    const answeredAt = answered ? queuedAt! + waitMs! : null;
    const handleMs = answered ? 30_000 + Math.floor(rnd() * 600_000) : null;
    const endedAt = answered ? answeredAt! + handleMs! : queued ? queuedAt! + waitMs! : arrivedAt + 40_000;
    const outcome = answered ? 'answered' : abandoned ? 'abandoned_in_queue' : queued ? 'callback_requested' : inHours ? 'abandoned_in_menu' : 'after_hours';
    await insertCall(db, court.courtId, { id, arrivedAt, inHours, queuedAt, answeredAt, endedAt, outcome, operatorId: operator?.userId ?? null });
    const call: GeneratedCall = { id, arrivedAt, operatorId: operator?.userId ?? null, offered: queued, answered, abandoned, waitMs: answered || abandoned ? waitMs : null, handleMs, ticketId: null, transferAttempts: 0, transfersConnected: 0 };
    calls.push(call);
    if (answered && rnd() < 0.15) {
      // One or two transfer legs during the conversation, as telephony's journal writes them.
      for (let seq = 1; seq <= (rnd() < 0.3 ? 2 : 1); seq++) {
        const legOutcome = pick(transferLegOutcomes);
        const startedAt = answeredAt! + seq * 10_000;
        await insertTransferLeg(db, court.courtId, { callId: id, seq, judgeId: pick(judges).userId, startedAt, outcome: legOutcome });
        if (legOutcome !== 'cancelled') call.transferAttempts++;
        if (legOutcome === 'answered') call.transfersConnected++;
      }
    }
    if (answered && rnd() < 0.8) {
      setNow(endedAt + 1000);
      const created = await service.createFromCall({ courtId: court.courtId, callId: id, callerNumber: '13800138000', operatorId: operator!.userId, category: pick(categories) });
      call.ticketId = created.id;
      tickets.push(await workTicket(created.id, created.category, operator!, endedAt + 1000, rnd() < 0.1));
    }
  }
  // A few tickets registered by hand, with no call.
  for (let i = 0; i < Math.ceil(options.calls / 20); i++) {
    const at = monthStart + Math.floor(rnd() * (monthMs - 2 * hour));
    setNow(at);
    const op = pick(operators);
    const created = await service.create(op, { category: pick(categories), summary: '来信登记', callerNumber: '13900139000' });
    const t = await workTicket(created.id, created.category, op, at, false);
    t.byPerson = true;
    tickets.push(t);
  }
  return { calls, tickets };

  async function workTicket(id: string, category: string, operator: Actor, createdAt: number, leaveDraft: boolean): Promise<GeneratedTicket> {
    const t: GeneratedTicket = { id, createdAt, category, operatorId: operator.userId, judgeId: null, departmentId: null, byPerson: false, onSpot: false, dueAt: null, deliveredAt: null, voidedAt: null, callbackDue: false, satisfaction: null, chases: 0, reopened: 0 };
    if (leaveDraft) return t; // the system's draft, never touched by a person: not a registration
    let now = createdAt + Math.floor(rnd() * 10 * minute) + minute;
    const at = (ms: number) => {
      now = ms;
      setNow(ms);
    };
    t.byPerson = true;
    const path = rnd();
    if (path < 0.3) {
      at(now);
      await service.answerOnSpot(operator, id, { answer: '已当场答复' });
      t.onSpot = true;
      return t;
    }
    if (path < 0.35) {
      at(now);
      await service.void(court.manager, id, { reason: '重复登记' });
      t.voidedAt = now;
      return t;
    }
    const judge = pick(judges);
    at(now);
    const handed = await service.handOff(operator, id, { handlerUserId: judge.userId });
    t.judgeId = judge.userId;
    t.departmentId = handed.handlerDepartmentId;
    t.dueAt = handed.deadline!.getTime();
    if (rnd() < 0.15) {
      // A late extension: asked and approved days after the deadline it extends. The ticket keeps the period
      // of its first deadline and counts as late there, even if the reply beats the new deadline.
      const late = rnd() < 0.4;
      const asked = late ? t.dueAt + 2 * 24 * hour : now + hour;
      at(asked);
      await service.requestExtension(judge, id, { until: new Date(Math.max(t.dueAt, asked) + 3 * 24 * hour), reason: '需要调卷' });
      at(asked + hour);
      const approved = await service.decideExtension(court.head, id, { approve: true });
      if (late) {
        at(approved.deadline!.getTime() - 12 * hour);
        await service.reply(judge, id, { text: '已答复' });
        at(now + hour);
        await deliverByPhone(db, service, operator, id, new Date(now));
        t.deliveredAt = now;
        t.callbackDue = true;
        return t;
      }
      t.dueAt = approved.deadline!.getTime();
    }
    if (rnd() < 0.25) {
      at(now + 3 * hour);
      await service.chase(court.manager, id, { reason: '请尽快办理' });
      t.chases++;
    }
    const fate = rnd();
    if (fate < 0.08) {
      at(now + 4 * hour);
      await service.void(court.manager, id, { reason: '当事人撤回' });
      t.voidedAt = now;
      return t;
    }
    if (fate < 0.18) return t; // never answered: overdue
    // Replies land before or after the deadline (late replies).
    const replyAt = Math.max(now + 5 * hour, t.dueAt + Math.floor((rnd() - 0.75) * 4 * 24 * hour));
    at(replyAt);
    await service.reply(judge, id, { text: '已答复' });
    at(replyAt + Math.floor(rnd() * 6 * hour));
    await deliverByPhone(db, service, operator, id, new Date(now));
    t.deliveredAt = now;
    t.callbackDue = true;
    if (rnd() < 0.7) {
      const satisfaction = pick(['satisfied', 'basically_satisfied', 'unsatisfied'] as const);
      at(now + hour);
      await service.recordCallback(operator, id, { resolved: satisfaction !== 'unsatisfied', satisfaction });
      t.satisfaction = satisfaction;
      if (satisfaction === 'unsatisfied') t.reopened++;
    }
    return t;
  }
}
