import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSocket } from '../../api/testing/console-socket.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { loggedLines } from '../../test/harness/logged.ts';
import { claimStaleMs } from './claims.ts';
import { UnownedService, type UnownedTicketPort } from './service.ts';
import { settleReachedCallbacks } from './reached.ts';
import { seedCall, seedMessageRecording, seedOperator, todayAt } from './testing/seed.ts';

// The API alone over real PostgreSQL, Redis and HTTP: the unowned queue of a court, its claims and its setting.
const recordingsDir = mkdtempSync(join(tmpdir(), 'hotline-unowned-'));
afterAll(() => rmSync(recordingsDir, { recursive: true, force: true }));
const api = await useApi({ TELEPHONY_RECORDINGS_DIR: recordingsDir });
const db = api.deps.db;
let court: SeededCourt;
let other: SeededCourt;
const cookie: Record<string, string> = {};
let secondOperator: string;
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

const list = (who: string, query = '') => call(api.url, 'GET', `/api/telephony/unowned${query}`, { cookie: cookie[who] });
const claim = (who: string, body: unknown) => call(api.url, 'POST', '/api/telephony/unowned/claim', { cookie: cookie[who], body });
const entries = async (who = 'operator') => (await list(who)).body.entries as any[];
const yesterday = (minutes: number) => new Date(todayAt(minutes).getTime() - 86_400_000);
const ids: Record<string, string> = {};

beforeAll(async () => {
  court = await seedCourt(db);
  other = await seedCourt(db);
  secondOperator = await seedOperator(db, court.courtId, 'op2');
  for (const key of ['operator', 'manager', 'judge', 'admin'] as const) cookie[key] = await sessionCookieFor(db, court.users[key].id);
  cookie.operator2 = await sessionCookieFor(db, secondOperator);
  cookie.otherOperator = await sessionCookieFor(db, other.users.operator.id);
  cookie.otherManager = await sessionCookieFor(db, other.users.manager.id);
  const c = court.courtId;
  // 13800000001 gave up three times today (queue, queue after choosing 投诉, menu after choosing 联系法官) and once yesterday.
  await seedCall(db, { courtId: c, caller: '13800000001', at: todayAt(1), outcome: 'abandoned_in_queue' });
  await seedCall(db, { courtId: c, caller: '13800000001', at: todayAt(2), outcome: 'abandoned_in_queue', option: 'complaint' });
  ids.lastOf1 = await seedCall(db, { courtId: c, caller: '13800000001', at: todayAt(3), outcome: 'abandoned_in_menu', option: 'judge_contact' });
  ids.yesterdayOf1 = await seedCall(db, { courtId: c, caller: '13800000001', at: yesterday(600), outcome: 'abandoned_in_queue', option: 'enquiry' });
  // Gave up in the menu without choosing anything: not an entry.
  await seedCall(db, { courtId: c, caller: '13800000002', at: todayAt(4), outcome: 'abandoned_in_menu' });
  // Gave up, then called again and was answered: gone.
  await seedCall(db, { courtId: c, caller: '13800000003', at: todayAt(5), outcome: 'abandoned_in_queue', option: 'enquiry' });
  await seedCall(db, { courtId: c, caller: '13800000003', at: todayAt(6), outcome: 'answered', option: 'enquiry', answeredBy: court.users.operator.id });
  // Answered first, gave up later: still waiting.
  await seedCall(db, { courtId: c, caller: '13800000004', at: todayAt(7), outcome: 'answered', answeredBy: court.users.operator.id });
  ids.of4 = await seedCall(db, { courtId: c, caller: '13800000004', at: todayAt(8), outcome: 'abandoned_in_queue', option: 'enquiry' });
  // Gave up, then an operator called back and reached them: gone.
  ids.of5 = await seedCall(db, { courtId: c, caller: '13800000005', at: todayAt(9), outcome: 'abandoned_in_queue', option: 'enquiry' });
  await db.execute(sql`insert into telephony.outbound_requests (id, court_id, purpose, mode, call_id, number, requested_by, requested_at, status, attempts, result, finished_at, updated_at)
    values (gen_random_uuid(), ${c}, 'missed_call', 'operator', ${ids.of5}, '13800000005', ${court.users.operator.id}, ${todayAt(10).toISOString()}::timestamptz, 'completed', 1, 'connected', ${todayAt(10).toISOString()}::timestamptz, ${todayAt(10).toISOString()}::timestamptz)`);
  // A message (with its recording) from a caller who had given up in the queue a minute before, and a callback
  // request: tickets with no owner.
  await seedCall(db, { courtId: c, caller: '13800000006', at: todayAt(10), outcome: 'abandoned_in_queue', option: 'enquiry' });
  const tickets = serviceOf(api.deps, 'tickets');
  ids.messageCall = await seedCall(db, { courtId: c, caller: '13800000006', at: todayAt(11), outcome: 'message_left' });
  await seedMessageRecording(db, recordingsDir, { callId: ids.messageCall, courtId: c, at: todayAt(11) });
  ids.message = (await tickets.createFromMessage({ courtId: c, callId: ids.messageCall, callerNumber: '13800000006', kind: 'message', reason: 'after_hours', recordingName: `msg-${ids.messageCall}` })).id;
  ids.callbackCall = await seedCall(db, { courtId: c, caller: '13800000007', at: todayAt(12), outcome: 'callback_requested', option: 'enquiry' });
  ids.callback = (await tickets.createFromMessage({ courtId: c, callId: ids.callbackCall, callerNumber: '13800000007', kind: 'callback', reason: 'queue_timeout' })).id;
  // The other court's: never seen here.
  ids.otherCall = await seedCall(db, { courtId: other.courtId, caller: '13900000001', at: todayAt(5), outcome: 'abandoned_in_queue', option: 'enquiry' });
  const otherMessage = await seedCall(db, { courtId: other.courtId, caller: '13900000002', at: todayAt(6), outcome: 'message_left' });
  ids.otherTicket = (await tickets.createFromMessage({ courtId: other.courtId, callId: otherMessage, callerNumber: '13900000002', kind: 'message', reason: 'after_hours' })).id;
});

describe('GET /api/telephony/unowned', () => {
  it('lists messages, callback requests and callers who gave up after choosing, one entry per caller and China day, newest first', async () => {
    const res = await list('operator');
    expect(res.status).toBe(200);
    const shown = res.body.entries.map((e: any) => [e.kind, e.callerNumberMasked, e.tries]);
    expect(shown).toEqual([
      ['callback', '138****0007', 1],
      ['message', '138****0006', 2],
      ['abandoned', '138****0004', 1],
      ['abandoned', '138****0001', 3],
      ['abandoned', '138****0001', 1],
    ]);
    const [callback, message, of4, today1, yesterday1] = res.body.entries;
    expect(today1).toMatchObject({ key: `abandoned:${ids.lastOf1}`, callId: ids.lastOf1, menuOption: 'judge_contact', ticketId: null, recordingUrl: null, autoCallback: null });
    expect(today1.times).toEqual([todayAt(3), todayAt(2), todayAt(1)].map((d) => d.toISOString()));
    expect(yesterday1).toMatchObject({ key: `abandoned:${ids.yesterdayOf1}`, tries: 1, menuOption: 'enquiry' });
    expect(of4).toMatchObject({ callId: ids.of4, menuOption: 'enquiry' });
    expect(message).toMatchObject({ key: `ticket:${ids.message}`, ticketId: ids.message, callId: ids.messageCall, recordingUrl: `/api/telephony/calls/${ids.messageCall}/recording?kind=message` });
    // The same caller's try in the queue that day is counted in the message's entry, not listed apart.
    expect(message.times).toEqual([todayAt(11), todayAt(10)].map((d) => d.toISOString()));
    expect(message.menuOption).toBe('enquiry');
    expect(callback).toMatchObject({ key: `ticket:${ids.callback}`, menuOption: 'enquiry', recordingUrl: null });
    // No full number anywhere in the list.
    expect(JSON.stringify(res.body)).not.toMatch(/1380000000\d/);
  });

  it('the message recording the entry names plays for an operator of the court (audio/wav)', async () => {
    const message = (await entries()).find((e) => e.kind === 'message');
    const audio = await fetch(`${api.url}${message.recordingUrl}`, { headers: { cookie: cookie.operator! } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect((await audio.arrayBuffer()).byteLength).toBe(8044);
  });

  it('days=1 keeps today only; a manager reads the same queue; another court sees only its own', async () => {
    expect((await list('operator', '?days=1')).body.entries.map((e: any) => e.tries)).toEqual([1, 2, 1, 3]);
    expect((await list('manager')).body.entries.map((e: any) => e.key)).toEqual((await entries()).map((e) => e.key));
    const theirs = (await list('otherOperator')).body.entries;
    expect(theirs.map((e: any) => [e.kind, e.callerNumberMasked])).toEqual([
      ['message', '139****0002'],
      ['abandoned', '139****0001'],
    ]);
  });

  it('refuses judges, admins, the signed-out and bad input with a clear error', async () => {
    expect((await list('judge')).status).toBe(403);
    expect((await list('admin')).status).toBe(403);
    expect((await call(api.url, 'GET', '/api/telephony/unowned', {})).status).toBe(401);
    for (const q of ['?days=0', '?days=15', '?days=abc', '?since=2026-01-01']) {
      const res = await list('operator', q);
      expect(res.status, q).toBe(400);
      expect(res.body).toMatchObject({ code: expect.any(String), message: expect.any(String), message_zh: expect.any(String) });
    }
  });
});

describe('POST /api/telephony/unowned/claim', () => {
  it('refuses bad bodies, other courts, managers and unknown ids, and changes nothing', async () => {
    const before = await entries();
    for (const body of [{}, { ticketId: ids.message, callId: ids.lastOf1 }, { callId: 'x' }, { ticketId: 42 }, { callId: ids.lastOf1, extra: 1 }]) {
      const res = await claim('operator', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await claim('otherOperator', { callId: ids.lastOf1 })).status).toBe(404);
    expect((await claim('otherOperator', { ticketId: ids.message })).status).toBe(404);
    expect((await claim('operator', { ticketId: ids.otherTicket })).status).toBe(404);
    expect((await claim('operator', { callId: ids.otherCall })).status).toBe(404);
    expect((await claim('manager', { callId: ids.lastOf1 })).status).toBe(403);
    expect((await claim('operator', { callId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect(await entries()).toEqual(before);
  });

  it('two operators claim a caller who gave up at once: exactly one wins, owns a new ticket, and the entry leaves both queues live', async () => {
    const watching = await ConsoleSocket.open(api.url, cookie.operator2);
    sockets.push(watching);
    await watching.next((m) => m.type === 'hello');
    const results = await Promise.all([claim('operator', { callId: ids.lastOf1 }), claim('operator2', { callId: ids.lastOf1 })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const won = results.find((r) => r.status === 200)!;
    const lost = results.find((r) => r.status === 409)!;
    expect(lost.body.code).toMatch(/already_claimed|not_unowned/);
    expect(won.body).toMatchObject({ key: `abandoned:${ids.lastOf1}`, kind: 'abandoned', callerNumber: '13800000001' });
    const winner = results[0] === won ? court.users.operator.id : secondOperator;
    const event = await watching.next((m) => m.type === 'unowned.claimed' && m.data.key === `abandoned:${ids.lastOf1}`);
    expect(event.data).toMatchObject({ kind: 'abandoned', ticketId: won.body.ticketId, claimedBy: winner });
    const ticket = (await db.execute<any>(sql`select owner_id, stage, caller_number, summary, category from tickets.tickets where id = ${won.body.ticketId}`)).rows[0];
    expect(ticket).toMatchObject({ owner_id: winner, stage: 'answer', caller_number: '13800000001', category: 'contact_judge' });
    expect(ticket.summary).toContain('3 次');
    const trail = (await db.execute<any>(sql`select action, actor_id from tickets.ticket_events where ticket_id = ${won.body.ticketId}`)).rows;
    expect(trail).toEqual([{ action: 'create', actor_id: winner }]);
    const keys = (await entries('operator2')).map((e) => e.key);
    expect(keys).not.toContain(`abandoned:${ids.lastOf1}`);
    // Yesterday's entry of the same caller is another day's: still there.
    expect(keys).toContain(`abandoned:${ids.yesterdayOf1}`);
  });

  it('a caller who gives up again after the claim is a new entry (one try)', async () => {
    const again = await seedCall(db, { courtId: court.courtId, caller: '13800000001', at: new Date(Date.now() - 1000), outcome: 'abandoned_in_queue', option: 'enquiry' });
    const entry = (await entries()).find((e) => e.key === `abandoned:${again}`);
    expect(entry).toMatchObject({ tries: 1, menuOption: 'enquiry' });
  });

  it('two operators claim a message at once: one becomes its owner (audited `claim`), the other gets 409; it leaves the queue', async () => {
    const results = await Promise.all([claim('operator', { ticketId: ids.message }), claim('operator2', { ticketId: ids.message })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const won = results.find((r) => r.status === 200)!;
    expect(results.find((r) => r.status === 409)!.body.code).toBe('already_claimed');
    const winner = results[0] === won ? court.users.operator.id : secondOperator;
    expect(won.body).toMatchObject({ key: `ticket:${ids.message}`, kind: 'ticket', ticketId: ids.message, callerNumber: '13800000006' });
    const owner = (await db.execute<any>(sql`select owner_id from tickets.tickets where id = ${ids.message}`)).rows[0].owner_id;
    expect(owner).toBe(winner);
    const trail = (await db.execute<any>(sql`select action, actor_id, before, after from tickets.ticket_events where ticket_id = ${ids.message} order by id`)).rows;
    expect(trail.map((e: any) => e.action)).toEqual(['create', 'claim']);
    expect(trail[1]).toMatchObject({ actor_id: winner, before: { ownerId: null }, after: { ownerId: winner } });
    const left = await entries();
    expect(left.map((e) => e.key)).not.toContain(`ticket:${ids.message}`);
    // The caller's try in the queue went with it: nothing of theirs is left.
    expect(left.some((e) => e.callerNumberMasked === '138****0006')).toBe(false);
    // Claimed already: a third try is refused too.
    expect((await claim('operator', { ticketId: ids.message })).status).toBe(409);
  });
});

describe('a confidential ticket (保密)', () => {
  it('shows no part of its number in the queue, nor to the operator who claims it', async () => {
    const manager = { userId: court.users.manager.id, role: 'manager' as const, courtId: court.courtId, departmentId: null };
    await serviceOf(api.deps, 'tickets').markConfidential(manager, ids.callback!, { reason: '当事人要求保密' });
    const entry = (await entries()).find((e) => e.key === `ticket:${ids.callback}`);
    expect(entry).toMatchObject({ kind: 'callback', callerNumberMasked: '', callId: null, recordingUrl: null });
    const res = await claim('operator', { ticketId: ids.callback });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ticketId: ids.callback, callerNumber: null });
    expect(JSON.stringify(res.body)).not.toContain('13800000007');
  });
});

describe('the automatic callback setting', () => {
  const put = (who: string, body: unknown) => call(api.url, 'PUT', '/api/telephony/auto-callback', { cookie: cookie[who], body });
  const valid = { enabled: true, opens: '08:30', closes: '18:00', attempts: 2, intervalMinutes: 15, dailyCap: 50 };

  it('is off until set; a manager sets it for their court only; an operator reads but may not set it', async () => {
    expect((await call(api.url, 'GET', '/api/telephony/auto-callback', { cookie: cookie.operator })).body).toMatchObject({ enabled: false, updatedAt: null });
    expect((await put('operator', valid)).status).toBe(403);
    const set = await put('manager', valid);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ ...valid, updatedAt: expect.any(String) });
    expect((await call(api.url, 'GET', '/api/telephony/auto-callback', { cookie: cookie.operator })).body).toMatchObject(valid);
    expect((await call(api.url, 'GET', '/api/telephony/auto-callback', { cookie: cookie.otherManager })).body).toMatchObject({ enabled: false });
    expect((await put('admin', { ...valid, dailyCap: 60 })).body.dailyCap).toBe(60);
  });

  it('refuses a bad setting with 400 and keeps the one in force', async () => {
    for (const bad of [
      { ...valid, opens: '18:00', closes: '08:00' },
      { ...valid, opens: '25:00' },
      { ...valid, attempts: 0 },
      { ...valid, attempts: 9 },
      { ...valid, intervalMinutes: 0 },
      { ...valid, dailyCap: -1 },
      { ...valid, enabled: 'yes' },
      { enabled: true },
    ]) {
      const res = await put('manager', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.message_zh).toBeTruthy();
    }
    expect((await call(api.url, 'GET', '/api/telephony/auto-callback', { cookie: cookie.manager })).body).toMatchObject({ ...valid, dailyCap: 60 });
  });
});

describe('claims that cannot strand or double a caller', () => {
  const claimRow = (callId: string, caller: string, at: Date, claimedAt: Date) =>
    db.execute(sql`insert into telephony.unowned_claims (call_id, court_id, caller_number, day, through, tries, claimed_by, claimed_at, ticket_id)
      values (${callId}, ${court.courtId}, ${caller}, (${at.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date, ${at.toISOString()}::timestamptz, 1,
              ${court.users.operator.id}, ${claimedAt.toISOString()}::timestamptz, null)`);

  it('a claim left without its ticket (a crash between the two) hides the caller only while it may still be made: once stale it is void and replaced', async () => {
    const stranded = await seedCall(db, { courtId: court.courtId, caller: '13800000011', at: todayAt(13), outcome: 'abandoned_in_queue', option: 'enquiry' });
    await claimRow(stranded, '13800000011', todayAt(13), new Date(Date.now() - claimStaleMs - 60_000));
    expect((await entries()).map((e) => e.key)).toContain(`abandoned:${stranded}`);
    const res = await claim('operator2', { callId: stranded });
    expect(res.status).toBe(200);
    const rows = (await db.execute<any>(sql`select claimed_by, ticket_id from telephony.unowned_claims where caller_number = '13800000011'`)).rows;
    expect(rows).toEqual([{ claimed_by: secondOperator, ticket_id: res.body.ticketId }]);
    expect((await entries()).map((e) => e.key)).not.toContain(`abandoned:${stranded}`);

    // A claim whose ticket is being made right now still holds the caller.
    const inFlight = await seedCall(db, { courtId: court.courtId, caller: '13800000012', at: todayAt(14), outcome: 'abandoned_in_queue', option: 'enquiry' });
    await claimRow(inFlight, '13800000012', todayAt(14), new Date());
    expect((await entries()).map((e) => e.key)).not.toContain(`abandoned:${inFlight}`);
    expect((await claim('operator', { callId: inFlight })).status).toBe(409);
  });

  it('a ticket made after its claim was replaced (it took past claimStaleMs) stands, and the lost link is logged as an error', async () => {
    const replacedCall = await seedCall(db, { courtId: court.courtId, caller: '13800000031', at: todayAt(31), outcome: 'abandoned_in_queue', option: 'enquiry' });
    const { logger, lines: logged } = loggedLines();
    const tickets = serviceOf(api.deps, 'tickets');
    // While the ticket is being made, another claimer's row takes this claim's place (as a stale claim's would).
    const slow: UnownedTicketPort = {
      unowned: tickets.unowned,
      claim: tickets.claim,
      get: tickets.get,
      create: async (actor, input) => {
        await db.execute(sql`update telephony.unowned_claims set claimed_by = ${secondOperator}, claimed_at = now() where call_id = ${replacedCall}`);
        return tickets.create(actor, input);
      },
    };
    const service = new UnownedService(db, slow, api.deps.events, logger);
    const claimed = await service.claim({ userId: court.users.operator.id, role: 'operator', courtId: court.courtId, departmentId: null }, { callId: replacedCall });
    expect(claimed.ticketId).toBeTruthy();
    expect(logged).toEqual([{ level: 'error', msg: 'claim replaced before its ticket was linked: the caller may be claimed again', fields: { callId: replacedCall, claimedBy: court.users.operator.id, ticketId: claimed.ticketId } }]);
  });

  it('two operators claim one entry while the caller gives up again between their re-reads (each would key its claim by a different latest try): exactly one wins', async () => {
    const caller = '13800000013';
    const first = await seedCall(db, { courtId: court.courtId, caller, at: todayAt(15), outcome: 'abandoned_in_queue', option: 'enquiry' });
    // Inserts into the claims table wait while this session holds the table: each claim reads, then waits to insert.
    const holder = new pg.Client({ connectionString: api.deps.config.database.url });
    await holder.connect();
    const waiting = async () =>
      Number((await holder.query(`select count(*)::int as n from pg_locks where not granted and database = (select oid from pg_database where datname = current_database())`)).rows[0].n);
    try {
      await holder.query('begin');
      await holder.query('lock table telephony.unowned_claims in share row exclusive mode');
      const a = claim('operator', { callId: first });
      await expect.poll(waiting, { timeout: 5000 }).toBe(1);
      // The caller gives up again; a second operator, whose page still shows the entry, claims it too.
      await seedCall(db, { courtId: court.courtId, caller, at: todayAt(16), outcome: 'abandoned_in_queue', option: 'enquiry' });
      const b = claim('operator2', { callId: first });
      await expect.poll(waiting, { timeout: 5000 }).toBe(2);
      await holder.query('commit');
      const results = await Promise.all([a, b]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    } finally {
      await holder.end();
    }
    const tickets = (await db.execute<any>(sql`select id from tickets.tickets where caller_number = ${caller}`)).rows;
    expect(tickets).toHaveLength(1);
  });

  it("a caller an operator claimed through a later try is not claimed again when the automatic callback of an earlier try connects", async () => {
    const caller = '13800000014';
    const earlier = await seedCall(db, { courtId: court.courtId, caller, at: todayAt(17), outcome: 'abandoned_in_queue', option: 'enquiry' });
    const later = await seedCall(db, { courtId: court.courtId, caller, at: todayAt(18), outcome: 'abandoned_in_queue', option: 'enquiry' });
    const res = await claim('operator', { callId: later });
    expect(res.status).toBe(200);
    // The automatic callback started for the earlier try connects afterwards.
    const outboundId = (await db.execute<any>(sql`insert into telephony.outbound_requests (id, court_id, purpose, mode, call_id, number, requested_by, requested_at, status, attempts, result, finished_at, updated_at)
      values (gen_random_uuid(), ${court.courtId}, 'missed_call', 'operator', ${earlier}, ${caller}, ${secondOperator}, now(), 'completed', 1, 'connected', now(), now()) returning id`)).rows[0].id;
    await db.execute(sql`insert into telephony.auto_callbacks (outbound_id, court_id, caller_number, day, call_id, operator_id, started_at)
      values (${outboundId}, ${court.courtId}, ${caller}, (${todayAt(17).toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date, ${earlier}, ${secondOperator}, now())`);
    const made = await settleReachedCallbacks({ db, tickets: serviceOf(api.deps, 'tickets'), events: api.deps.events, logger: api.deps.logger, now: Date.now });
    expect(made).toBe(0);
    expect((await db.execute<any>(sql`select owner_id from tickets.tickets where caller_number = ${caller}`)).rows).toEqual([{ owner_id: court.users.operator.id }]);
  });
});

describe('withheld and anonymous numbers', () => {
  it('are no one in particular: each try is an entry of its own, claimed alone, with a ticket bearing no number', async () => {
    const tries = [
      await seedCall(db, { courtId: court.courtId, caller: 'anonymous', at: todayAt(19), outcome: 'abandoned_in_queue', option: 'enquiry' }),
      await seedCall(db, { courtId: court.courtId, caller: 'anonymous', at: todayAt(20), outcome: 'abandoned_in_queue', option: 'complaint' }),
      await seedCall(db, { courtId: court.courtId, caller: '', at: todayAt(21), outcome: 'abandoned_in_queue', option: 'enquiry' }),
    ];
    const shown = (await entries()).filter((e) => tries.includes(e.callId));
    expect(shown.map((e) => [e.key, e.tries])).toEqual(tries.map((id) => [`abandoned:${id}`, 1]).reverse());
    // A later answered call from another withheld caller says nothing about these.
    await seedCall(db, { courtId: court.courtId, caller: 'anonymous', at: todayAt(22), outcome: 'answered', answeredBy: court.users.operator.id });
    expect((await entries()).filter((e) => tries.includes(e.callId))).toHaveLength(3);
    const res = await claim('operator', { callId: tries[0] });
    expect(res.status).toBe(200);
    expect((await db.execute<any>(sql`select caller_number from tickets.tickets where id = ${res.body.ticketId}`)).rows[0].caller_number).toBeNull();
    expect((await entries()).filter((e) => tries.includes(e.callId)).map((e) => e.callId)).toEqual([tries[2], tries[1]]);
  });
});
