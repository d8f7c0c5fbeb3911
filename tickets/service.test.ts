import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/client.ts';
import { HotlineError } from '../platform/errors.ts';
import { users } from '../platform/directory.sql.ts';
import { ticketEvents } from './audit.sql.ts';
import { verifyChains } from './audit.ts';
import { deliveries, outbox, slaTimers } from './outbox.sql.ts';
import type { TicketService } from './service.ts';
import { loggingSmsSender } from './testing/logging-sms.ts';
import { deliverByPhone } from './testing/phone-delivery.ts';
import { chinaTime, eventually, silentLogger, seedCourt, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from './testing/harness.ts';
import { ticketCalls, tickets } from './tickets.sql.ts';

let database: Database;
let court: Court;
let other: Court;
let h: TicketsHarness;
let service: TicketService;
const sms = loggingSmsSender(silentLogger);

beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database, 'J0811');
  other = await seedCourt(database, 'J0802');
  h = await useTicketsRuntime(database, { sms });
  service = h.runtime.service;
  h.clock.set(chinaTime('2026-02-13T15:00:00'));
});

async function expectRefused(work: Promise<unknown>, code: string) {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HotlineError);
  expect((err as HotlineError).code).toBe(code);
  expect((err as HotlineError).messageZh.length).toBeGreaterThan(0);
}

/**
 * One ticket's row, trail events and outbox jobs: what a refused change must leave as it was. Only this ticket's:
 * an earlier test's notices and timers are still being worked off by the runtime, and counting every row made this
 * test fail in the full suite when one of theirs landed in between.
 */
async function snapshotOf(ticketId: string) {
  const [row] = await database.db.select().from(tickets).where(eq(tickets.id, ticketId));
  const [{ events }] = (await database.db.select({ events: sql<number>`count(*)::int` }).from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId))) as [{ events: number }];
  const [{ jobs }] = (await database.db
    .select({ jobs: sql<number>`count(*)::int` })
    .from(outbox)
    .where(sql`position(${ticketId} in ${outbox.jobId}) > 0 or position(${ticketId} in ${outbox.data}::text) > 0`)) as [{ jobs: number }];
  return { row, events, jobs };
}

describe('registering tickets (接听)', () => {
  it('numbers tickets per court and China day, without collisions under concurrency', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => service.create(court.operator, { summary: `咨询 ${i}`, callerNumber: '13800000001' })));
    const numbers = created.map((t) => t.number).sort();
    expect(new Set(numbers).size).toBe(20);
    expect(numbers[0]).toBe('J0811-20260213-0001');
    expect(numbers[19]).toBe('J0811-20260213-0020');
    const elsewhere = await service.create(other.operator, { summary: '另一法院' });
    expect(elsewhere.number).toBe('J0802-20260213-0001');
  });

  it('creates a draft from a call, normalising the case number, owned by the answering operator', async () => {
    const ticket = await service.createFromCall({ courtId: court.courtId, callId: 'call-1', callerNumber: '13912345678', operatorId: court.operator.userId, caseNumber: '(2024)豫0811民初1234号' });
    expect(ticket).toMatchObject({ stage: 'answer', ownerId: court.operator.userId, caseNumber: '（2024）豫0811民初1234号', category: 'enquiry' });
    const view = await service.get(court.operator, ticket.id);
    expect(view.callIds).toEqual(['call-1']);
    // A call a person attaches must be one of the court's calls (tickets/call-link.ts).
    const second = '6d1f0c2a-7a4b-4c5e-9f00-000000000002';
    await database.db.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at) values (${second}, ${court.courtId}, 'ch-2', '13912345678', '12368', now())`);
    await service.attachCall(court.operator2, ticket.id, { callId: second });
    expect((await service.get(court.operator, ticket.id)).callIds).toEqual(['call-1', second]);
    const history = await service.callerHistory(court.operator, '13912345678');
    expect(history.map((t) => t.id)).toEqual([ticket.id]);
    await expectRefused(service.callerHistory(court.judge, '13912345678'), 'forbidden');
  });

  it('a message or callback request becomes one unowned answer-stage ticket per call, which an operator then takes on', async () => {
    const message = await service.createFromMessage({ courtId: court.courtId, callId: 'call-msg-1', callerNumber: '13912340001', kind: 'message', reason: 'after_hours', recordingName: 'msg-call-msg-1' });
    expect(message).toMatchObject({ stage: 'answer', ownerId: null, callerNumber: '13912340001', summary: '非工作时间留言，待回电登记' });
    expect(message.details).toContain('msg-call-msg-1');
    const replayed = await service.createFromMessage({ courtId: court.courtId, callId: 'call-msg-1', callerNumber: '13912340001', kind: 'message', reason: 'after_hours' });
    expect(replayed.id).toBe(message.id);
    const callback = await service.createFromMessage({ courtId: court.courtId, callId: 'call-cb-1', kind: 'callback', reason: 'queue_timeout' });
    expect(callback).toMatchObject({ stage: 'answer', ownerId: null, callerNumber: null, summary: '等待超时请求回电，待回电登记' });
    expect((await service.get(court.operator, callback.id)).callIds).toEqual(['call-cb-1']);
    const closed = await service.answerOnSpot(court.operator, message.id, { answer: '已回电答复' });
    expect(closed).toMatchObject({ ownerId: court.operator.userId });
    await expectRefused(service.createFromMessage({ courtId: court.courtId, callId: 'call-cb-2', kind: 'voicemail' as 'message' }), 'invalid_input');
  });

  it('a message asked for several times at once (the intake’s retry and the sweep) makes one ticket between them', async () => {
    const input = { courtId: court.courtId, callId: 'call-msg-race', callerNumber: '13912340009', kind: 'message', reason: 'queue_timeout' } as const;
    const made = await Promise.all(Array.from({ length: 6 }, () => service.createFromMessage(input)));
    expect(new Set(made.map((t) => t.id)).size).toBe(1);
    const linked = await database.db.select({ n: sql<number>`count(*)::int` }).from(ticketCalls).where(eq(ticketCalls.callId, 'call-msg-race'));
    expect(linked[0]!.n).toBe(1);
  });

  it('a message left on a call that has a ticket already (a menu transfer no one took) names its recording there, once', async () => {
    const handed = await service.createFromTransfer({ courtId: court.courtId, callId: 'call-tr-msg', callerNumber: '13912340008', handlerUserId: court.judge.userId, targetLabel: '张法官', outcome: 'no_answer' });
    const message = { courtId: court.courtId, callId: 'call-tr-msg', callerNumber: '13912340008', kind: 'message', reason: 'queue_timeout', recordingName: 'call-tr-msg-message' } as const;
    const noted = await service.createFromMessage(message);
    expect(noted).toMatchObject({ id: handed.id, stage: 'handoff', handlerUserId: court.judge.userId });
    expect(noted.details).toBe(`${handed.details}\n留言录音 (recording): call-tr-msg-message`);
    expect((await service.createFromMessage(message)).details).toBe(noted.details);
  });

  it('a transferred call becomes a ticket handed off to the judge; a judge with no department leaves it, explained, for an operator', async () => {
    const handed = await service.createFromTransfer({ courtId: court.courtId, callId: 'call-tr-1', callerNumber: '13912340002', operatorId: court.operator.userId, handlerUserId: court.judge.userId, targetLabel: '张法官', outcome: 'answered' });
    expect(handed).toMatchObject({ stage: 'handoff', handlerUserId: court.judge.userId, handlerDepartmentId: court.civil, ownerId: court.operator.userId });
    expect(handed.details).toContain('转接张法官：已接通');

    const [loner] = await database.db.insert(users).values({ courtId: court.courtId, username: 'J0811-judge-nodept', displayName: '无部门法官', role: 'judge', departmentId: null }).returning();
    const draft = await service.createFromCall({ courtId: court.courtId, callId: 'call-tr-2', callerNumber: '13912340003', operatorId: court.operator.userId });
    const transfer = { courtId: court.courtId, callId: 'call-tr-2', callerNumber: '13912340003', operatorId: court.operator.userId, handlerUserId: loner!.id, targetLabel: '李法官', outcome: 'no_answer' as const };
    const left = await service.createFromTransfer(transfer);
    expect(left).toMatchObject({ id: draft.id, stage: 'answer', handlerUserId: null, ownerId: court.operator.userId });
    expect(left.details).toContain('转接李法官：无人接听；未能自动交办（该法官未设置所在部门）');
    // A replay (the telephony side retries) adds nothing.
    const replayed = await service.createFromTransfer(transfer);
    expect(replayed.details).toBe(left.details);
    // An operator routes it by hand, to the department.
    expect(await service.handOff(court.operator, left.id, { handlerDepartmentId: court.civil })).toMatchObject({ stage: 'handoff', handlerDepartmentId: court.civil });
  });

  it('refuses a bad case number or category and writes nothing', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(tickets);
    await expectRefused(service.create(court.operator, { summary: 'x', caseNumber: '豫0811民初' }), 'case_number_invalid');
    await expectRefused(service.create(court.operator, { summary: 'x', category: 'nonsense' }), 'unknown_category');
    await expectRefused(service.create(court.operator, { summary: '' }), 'invalid_input');
    await expectRefused(service.create(court.judge, { summary: 'x' }), 'forbidden');
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(tickets);
    expect(after).toEqual(before);
  });

  it('an edit changes only the fields it names; free text must be printable, unknown fields are refused', async () => {
    const ticket = await service.create(court.operator, { summary: '加急投诉', category: 'complaint', priority: 'urgent', details: '第一行\n第二行' });
    const edited = await service.edit(court.operator, ticket.id, { details: '补充：\n已核实', reason: '补充情况' });
    expect(edited).toMatchObject({ summary: '加急投诉', category: 'complaint', priority: 'urgent', details: '补充：\n已核实' });
    const before = await snapshotOf(ticket.id);
    expect(before.events).toBe(2); // its create and its edit
    await expectRefused(service.edit(court.operator, ticket.id, { summary: 'a\u0000b' }), 'invalid_input');
    await expectRefused(service.edit(court.operator, ticket.id, { summary: '\u202e反向' }), 'invalid_input');
    await expectRefused(service.edit(court.operator, ticket.id, { details: '\ud800' }), 'invalid_input');
    await expectRefused(service.edit(court.operator, ticket.id, { summary: 'x', stage: 'closed' } as never), 'invalid_input');
    expect(await snapshotOf(ticket.id)).toEqual(before);
  });

  it('a category patch changes only what it names (the deadline policy stays)', async () => {
    await service.addCategory(court.admin, { code: 'hearing_notice', nameZh: '开庭通知', nameEn: 'Hearing notice', deadlineDays: 5, dayKind: 'calendar', sortOrder: 7 });
    const patched = await service.updateCategory(court.admin, 'hearing_notice', { nameZh: '开庭通知咨询' });
    expect(patched).toMatchObject({ nameZh: '开庭通知咨询', nameEn: 'Hearing notice', deadlineDays: 5, dayKind: 'calendar', sortOrder: 7, active: true });
    await expectRefused(service.updateCategory(court.admin, 'hearing_notice', {}), 'invalid_input');
    await expectRefused(service.updateCategory(court.operator, 'hearing_notice', { active: false }), 'forbidden');
  });

  it('closes a ticket answered on the spot; it still exists and counts', async () => {
    const ticket = await service.create(court.operator, { summary: '问立案材料', category: 'enquiry' });
    const closed = await service.answerOnSpot(court.operator, ticket.id, { answer: '已当场答复所需材料' });
    expect(closed).toMatchObject({ stage: 'closed', answeredOnSpot: true });
    expect(closed.closedAt).not.toBeNull();
  });
});

describe('a ticket through the five stages', () => {
  it('answer → handoff → feedback (SMS relayed by the worker) → callback → closed, with a full trail', async () => {
    const ticket = await service.create(court.operator, { summary: '询问案件进度', category: 'case_progress', callerNumber: '13700000000', caseNumber: '（2025）豫0811民初88号' });
    // Friday before Spring Festival 2026: 3 calendar days (seed 001's 3日内) end Mon 16, inside the holiday, so the
    // period ends on the first working day after it (民事诉讼法 期间): Tue 24.
    const handed = await service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    expect(handed).toMatchObject({ stage: 'handoff', handlerUserId: court.judge.userId, handlerDepartmentId: court.civil });
    expect(handed.deadline?.toISOString()).toBe(chinaTime('2026-02-24T23:59:59').toISOString());
    const timers = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
    expect(timers.map((t) => t.level).sort()).toEqual(['escalation1', 'escalation2', 'reminder']);

    await eventually(() => h.events.find((e) => e.type === 'ticket.assigned' && (e.data as { ticketId: string }).ticketId === ticket.id), 5000, 'assigned notice');
    const assigned = h.events.find((e) => e.type === 'ticket.assigned' && (e.data as { ticketId: string }).ticketId === ticket.id)!;
    expect(assigned.audience.userIds).toEqual([court.judge.userId]);

    await expectRefused(service.accept(court.judge2, ticket.id), 'forbidden');
    await expectRefused(service.accept(court.enforcementHead, ticket.id), 'forbidden');
    expect((await service.accept(court.judge, ticket.id)).acceptedAt).not.toBeNull();
    await expectRefused(service.accept(court.judge, ticket.id), 'already_accepted');

    const replied = await service.reply(court.judge, ticket.id, { text: '案件已排期，3月5日开庭' });
    expect(replied.stage).toBe('feedback');
    const cancelled = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
    expect(cancelled.every((t) => t.status === 'cancelled')).toBe(true);

    const { deliveryId } = await service.relayFeedback(court.operator, ticket.id, { channel: 'sms' });
    // Accepted by the gateway is not delivered: the ticket moves on only with a receipt that says delivered.
    const sent = await eventually(async () => (await database.db.select().from(deliveries).where(eq(deliveries.id, deliveryId)))[0]?.gatewayMessageId ?? undefined, 5000, 'SMS accepted');
    expect((await service.get(court.operator, ticket.id)).stage).toBe('feedback');
    await sms.receipt(sent, true);
    const delivered = await eventually(async () => {
      const t = await service.get(court.operator, ticket.id);
      return t.stage === 'callback' ? t : undefined;
    }, 5000, 'SMS delivery by the feedback worker');
    expect(delivered).toMatchObject({ deliveryChannel: 'sms' });

    const closed = await service.recordCallback(court.operator, ticket.id, { resolved: true, satisfaction: 'satisfied' });
    expect(closed).toMatchObject({ stage: 'closed', satisfaction: 'satisfied', callbackResolved: true });

    const trail = await service.events(court.manager, ticket.id);
    expect(trail.map((e) => e.action)).toEqual(['create', 'hand_off', 'accept', 'reply', 'relay_feedback', 'record_delivery', 'close_after_callback']);
    expect(trail[1]).toMatchObject({ actorId: court.operator.userId, actorRole: 'operator', before: { stage: 'answer' }, after: { stage: 'handoff' } });
    expect(trail[5]).toMatchObject({ actorRole: 'system' });
    expect(await verifyChains(database.db)).toMatchObject({ ok: true });
  });

  it('an illegal transition is refused and changes nothing', async () => {
    const ticket = await service.create(court.operator, { summary: '投诉', category: 'complaint' });
    await eventually(async () => (await snapshotOf(ticket.id)).row, 1000);
    const before = await snapshotOf(ticket.id);
    await expectRefused(service.reply(court.judge, ticket.id, { text: 'x' }), 'illegal_transition');
    await expectRefused(service.recordCallback(court.operator, ticket.id, { resolved: true, satisfaction: 'satisfied' }), 'illegal_transition');
    await expectRefused(service.void(court.operator, ticket.id, { reason: '重复' }), 'role_not_allowed');
    await expectRefused(service.handOff(court.operator, ticket.id, { handlerUserId: court.operator2.userId }), 'handler_not_judge');
    await expectRefused(service.handOff(court.operator, ticket.id, {}), 'invalid_input');
    await expectRefused(service.handOff(other.operator, ticket.id, { handlerUserId: court.judge.userId }), 'not_found');
    expect(await snapshotOf(ticket.id)).toEqual(before);
  });

  it('extensions: the handler asks, the head refuses or approves (new deadline, timers replaced)', async () => {
    const ticket = await service.create(court.operator, { summary: '执行线索', category: 'execution_lead' });
    const handed = await service.handOff(court.operator, ticket.id, { handlerDepartmentId: court.enforcement });
    await expectRefused(service.decideExtension(court.enforcementHead, ticket.id, { approve: true }), 'no_extension_request');
    const until = new Date(handed.deadline!.getTime() + 5 * 86_400_000);
    await expectRefused(service.requestExtension(court.enforcementJudge, ticket.id, { until: handed.deadline!, reason: '需调查' }), 'extension_not_later');
    await service.requestExtension(court.enforcementJudge, ticket.id, { until, reason: '需调查财产' });
    await expectRefused(service.requestExtension(court.enforcementJudge, ticket.id, { until, reason: '再次' }), 'extension_pending');
    await expectRefused(service.decideExtension(court.head, ticket.id, { approve: true }), 'forbidden');
    await expectRefused(service.decideExtension(court.enforcementJudge, ticket.id, { approve: true }), 'role_not_allowed');

    const refused = await service.decideExtension(court.enforcementHead, ticket.id, { approve: false, reason: '期限内可办结' });
    expect(refused.deadline).toEqual(handed.deadline);
    await service.requestExtension(court.enforcementJudge, ticket.id, { until, reason: '需调查财产' });
    const approved = await service.decideExtension(court.enforcementHead, ticket.id, { approve: true });
    expect(approved).toMatchObject({ stage: 'handoff', deadline: until, deadlineVersion: handed.deadlineVersion + 1, extensionRequestedUntil: null });
    const timers = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
    expect(timers.filter((t) => t.status === 'pending').every((t) => t.jobId.includes(`-v${approved.deadlineVersion}-`))).toBe(true);
    expect(timers.filter((t) => t.status === 'cancelled')).toHaveLength(3);
    const removals = await database.db.select().from(outbox).where(eq(outbox.action, 'remove'));
    expect(removals.map((r) => r.jobId)).toEqual(expect.arrayContaining(timers.filter((t) => t.status === 'cancelled').map((t) => t.jobId)));
  });

  it('a head reassigns within the department; a department ticket is taken by the judge who accepts it', async () => {
    const ticket = await service.create(court.operator, { summary: '联系法官', category: 'contact_judge' });
    await service.handOff(court.operator, ticket.id, { handlerDepartmentId: court.civil });
    await expectRefused(service.reassign(court.head, ticket.id, { handlerUserId: court.enforcementJudge.userId, reason: '改派' }), 'forbidden');
    await expectRefused(service.reassign(court.head, ticket.id, { handlerUserId: court.judge2.userId } as never), 'invalid_input');
    const moved = await service.reassign(court.head, ticket.id, { handlerUserId: court.judge2.userId, reason: '承办人调整' });
    expect(moved.handlerUserId).toBe(court.judge2.userId);
    await expectRefused(service.accept(court.judge, ticket.id), 'forbidden');
    const byManager = await service.reassign(court.manager, ticket.id, { handlerDepartmentId: court.enforcement, reason: '属执行事项' });
    expect(byManager).toMatchObject({ handlerUserId: null, handlerDepartmentId: court.enforcement });
    const taken = await service.accept(court.enforcementJudge, ticket.id);
    expect(taken.handlerUserId).toBe(court.enforcementJudge.userId);
  });

  it('an unsatisfied return visit reopens the ticket to its handler and tells the manager', async () => {
    const ticket = await service.create(court.operator, { summary: '判后答疑', category: 'post_judgment_question', callerNumber: '13600000000' });
    await service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    await service.reply(court.judge, ticket.id, { text: '已释明' });
    await service.recordDelivery(court.operator, ticket.id, { channel: 'phone', delivered: false, note: '无人接听' });
    expect((await service.get(court.operator, ticket.id)).stage).toBe('feedback');
    await deliverByPhone(database.db, service, court.operator, ticket.id);
    const reopened = await service.recordCallback(court.operator, ticket.id, { resolved: false, satisfaction: 'unsatisfied', note: '对答复不满意' });
    expect(reopened).toMatchObject({ stage: 'handoff', reopenCount: 1, satisfaction: 'unsatisfied', handlerUserId: court.judge.userId, deliveredAt: null });
    await eventually(() => h.events.find((e) => e.type === 'ticket.reopened' && e.audience.roles?.includes('manager') && (e.data as { ticketId: string }).ticketId === ticket.id), 5000, 'manager told');
  });

  it('only a manager voids, with a reason; a voided ticket is kept and final', async () => {
    const ticket = await service.create(court.operator, { summary: '重复登记' });
    await expectRefused(service.void(court.manager, ticket.id, { reason: '' }), 'invalid_input');
    const voided = await service.void(court.manager, ticket.id, { reason: '与 0001 号重复' });
    expect(voided).toMatchObject({ stage: 'void', voidReason: '与 0001 号重复' });
    await expectRefused(service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId }), 'illegal_transition');
    expect((await service.get(court.manager, ticket.id)).stage).toBe('void');
  });
});

describe("judges' side", () => {
  it('inbox: mine and my department, due soon, overdue; a head sees the department; others see nothing', async () => {
    h.clock.set(chinaTime('2026-03-02T10:00:00'));
    const mine = await service.create(court.operator, { summary: '给法官1' });
    const dept = await service.create(court.operator, { summary: '给民庭' });
    const elsewhere = await service.create(court.operator, { summary: '给执行局' });
    await service.handOff(court.operator, mine.id, { handlerUserId: court.judge.userId });
    await service.handOff(court.operator, dept.id, { handlerDepartmentId: court.civil });
    await service.handOff(court.operator, elsewhere.id, { handlerDepartmentId: court.enforcement });
    const ids = (list: { id: string }[]) => list.map((t) => t.id);

    const inbox = ids(await service.inbox(court.judge));
    expect(inbox).toEqual(expect.arrayContaining([mine.id, dept.id]));
    expect(inbox).not.toContain(elsewhere.id);
    expect(ids(await service.inbox(court.judge2))).not.toContain(mine.id);
    expect(ids(await service.inbox(court.head))).toEqual(expect.arrayContaining([mine.id, dept.id]));
    await expectRefused(service.get(court.judge2, mine.id), 'not_found');
    await expectRefused(service.inbox(court.operator), 'forbidden');

    expect(ids(await service.inbox(court.judge, { filter: 'overdue' }))).not.toContain(mine.id);
    h.clock.set(chinaTime('2026-03-05T12:00:00')); // due Thu 2026-03-05 23:59:59
    expect(ids(await service.inbox(court.judge, { filter: 'due_soon' }))).toContain(mine.id);
    h.clock.set(chinaTime('2026-03-06T09:00:00'));
    expect(ids(await service.inbox(court.judge, { filter: 'overdue' }))).toContain(mine.id);
    await service.chase(court.manager, mine.id, { reason: '已超期，请尽快办理' });
    expect((await service.get(court.judge, mine.id)).stage).toBe('chase');
    await expectRefused(service.chase(court.operator, mine.id, { reason: 'x' }), 'role_not_allowed');
  });
});

describe('audit chain', () => {
  it('detects an edited row and names the first broken link', async () => {
    expect(await verifyChains(database.db)).toMatchObject({ ok: true });
    const [victim] = await database.db.select().from(ticketEvents).where(eq(ticketEvents.courtId, court.courtId)).orderBy(ticketEvents.seq).offset(4).limit(1);
    await database.db.execute(sql`update tickets.ticket_events set reason = 'rewritten' where id = ${victim!.id}`);
    const check = await verifyChains(database.db);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.broken).toMatchObject({ courtId: court.courtId, seq: victim!.seq, eventId: victim!.id });
  });
});
