import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSocket } from '../../api/testing/console-socket.ts';
import { useOutboundOverSim } from '../outbound/testing/outbound-over-sim.ts';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.ts';
import { serviceOf } from '../../platform/deps.ts';
import type { LiveState } from '../acd/live-state.ts';
import type { OutboundScheduler } from '../outbound/scheduler.ts';
import { OutboundService } from '../outbound/service.ts';
import { autoCallbackTickMs } from './plugin.ts';
import { autoCallbacks } from './unowned.sql.ts';
import { seedCall, todayAt } from './testing/seed.ts';

// A hotline with the api and telephony roles over the ARI stand-in: the automatic callback of a caller who gave up,
// operator first, driven by the controller's own loop (every autoCallbackTickMs).
const t = await useOutboundOverSim();
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));
const db = t.hotline.deps.db;

/** A moment today (China time) a minute ago, or just after midnight when the day is younger than that. */
const aMomentAgo = () => new Date(Math.max(todayAt(0).getTime() + 1000, Date.now() - 60_000));

async function setting(s: { opens: string; closes: string; attempts: number; intervalMinutes: number; dailyCap: number }) {
  await t.pgc.query(
    `insert into telephony.auto_callback_settings (court_id, enabled, opens, closes, attempts, interval_minutes, daily_cap, updated_by, updated_at)
     values ($1, true, $2, $3, $4, $5, $6, gen_random_uuid(), now())
     on conflict (court_id) do update set enabled = true, opens = $2, closes = $3, attempts = $4, interval_minutes = $5, daily_cap = $6`,
    [t.courtId, s.opens, s.closes, s.attempts, s.intervalMinutes, s.dailyCap],
  );
}

const autoRows = async (caller: string) =>
  (
    await t.pgc.query(
      `select a.outbound_id, a.operator_id, a.caller_number, o.status, o.result, o.attempts from telephony.auto_callbacks a join telephony.outbound_requests o on o.id = a.outbound_id
        where a.court_id = $1 and a.caller_number = $2 order by a.started_at`,
      [t.courtId, caller],
    )
  ).rows;
const legs = async (outboundId: string) =>
  (await t.pgc.query(`select leg, outcome, started_at from telephony.outbound_attempts where outbound_id = $1 order by started_at, leg`, [outboundId])).rows.map((l) => [l.leg, l.outcome]);

describe('automatic callback of callers who gave up (over the ARI stand-in)', () => {
  it('rings a free operator first, then the caller; a caller not reached is tried again after the interval; once reached, never again', async () => {
    // Open all day every day: the court's business hours never hold the dialler back in this test.
    for (let weekday = 1; weekday <= 7; weekday++) await t.pgc.query(`insert into tickets.business_hours (court_id, weekday, opens, closes) values ($1, $2, '00:00', '23:59:59')`, [t.courtId, weekday]);
    await t.rt.calendar.reload();
    const operatorId = await t.addOperator('op9101');
    const cookie = await t.cookieFor(operatorId);
    const socket = await ConsoleSocket.open(t.url, cookie);
    sockets.push(socket);
    await socket.next((m) => m.type === 'hello');
    t.sim.endpoint('op9101').answerAfter(50);
    t.sim.endpoint('trunk').busy();
    const caller = '13900009101';
    await seedCall(db, { courtId: t.courtId, caller, at: aMomentAgo(), outcome: 'abandoned_in_queue', option: 'enquiry' });
    await setting({ opens: '00:00', closes: '23:59', attempts: 3, intervalMinutes: 1, dailyCap: 10 });

    // Attempt 1: the operator's softphone rings and answers, then the caller's line is busy.
    await expect.poll(async () => (await autoRows(caller))[0]?.status, { timeout: 15_000 }).toBe('unreachable');
    const [first] = await autoRows(caller);
    expect(first).toMatchObject({ operator_id: operatorId, result: 'caller_not_reached', attempts: 1 });
    expect(await legs(first.outbound_id)).toEqual([
      ['operator', 'answered'],
      ['caller', 'busy'],
    ]);
    const ringing = socket.messages.filter((m) => m.type === 'outbound.ringing' && m.data.outboundId === first.outbound_id).map((m) => m.data.leg);
    expect(ringing).toEqual(['operator', 'caller']);
    // The entry stays in the queue, showing the attempt.
    const entry = ((await (await fetch(`${t.url}/api/telephony/unowned?days=1`, { headers: { cookie } })).json()) as { entries: any[] }).entries.find((e: any) => e.callerNumberMasked === '139****9101');
    expect(entry.autoCallback).toMatchObject({ attempts: 1, lastStatus: 'unreachable', lastResult: 'caller_not_reached' });
    await expect.poll(async () => (await fetch(`${t.url}/api/presence/me`, { headers: { cookie } }).then((r) => r.json() as Promise<{ state: string }>)).state, { timeout: 5000 }).toBe('ready');

    // Within the interval nothing more is dialled.
    await new Promise((r) => setTimeout(r, autoCallbackTickMs * 2));
    expect(await autoRows(caller)).toHaveLength(1);

    // The interval passes (the first attempt is moved back two minutes); this time the caller answers.
    await t.pgc.query(`update telephony.auto_callbacks set started_at = started_at - interval '2 minutes' where outbound_id = $1`, [first.outbound_id]);
    t.sim.endpoint('trunk').answerAfter(50);
    const answered = await socket.next((m) => m.type === 'outbound.answered' && m.data.leg === 'caller', 15_000);
    t.sim.endpoint('trunk').hangup();
    await expect.poll(async () => (await autoRows(caller))[1]?.status, { timeout: 10_000 }).toBe('completed');
    const second = (await autoRows(caller))[1];
    expect(second).toMatchObject({ outbound_id: answered.data.outboundId, result: 'connected' });
    expect(await legs(second.outbound_id)).toEqual([
      ['operator', 'answered'],
      ['caller', 'answered'],
    ]);

    // Reached: the operator who talked with them owns the matter (首问负责): a ticket of theirs, and every console
    // drops the entry.
    const claimed = await socket.next((m) => m.type === 'unowned.claimed' && m.data.claimedBy === operatorId, 10_000);
    const ticket = (await t.pgc.query(`select owner_id, stage, caller_number, summary from tickets.tickets where id = $1`, [claimed.data.ticketId])).rows[0];
    expect(ticket).toMatchObject({ owner_id: operatorId, stage: 'answer', caller_number: caller });
    expect(ticket.summary).toContain('自动回拨已接通');
    expect((await t.pgc.query(`select action, actor_id from tickets.ticket_events where ticket_id = $1`, [claimed.data.ticketId])).rows).toEqual([{ action: 'create', actor_id: operatorId }]);
    // Reached: the caller leaves the queue and is not dialled again, though attempts are left.
    const after = ((await (await fetch(`${t.url}/api/telephony/unowned?days=1`, { headers: { cookie } })).json()) as { entries: any[] }).entries;
    expect(after.some((e: any) => e.callerNumberMasked === '139****9101')).toBe(false);
    await t.pgc.query(`update telephony.auto_callbacks set started_at = started_at - interval '5 minutes' where caller_number = $1`, [caller]);
    await new Promise((r) => setTimeout(r, autoCallbackTickMs * 2));
    expect(await autoRows(caller)).toHaveLength(2);
  });

  it('dials no one outside its hours, and a caller answered on a later call is never dialled', async () => {
    const quiet = '13900009102';
    await seedCall(db, { courtId: t.courtId, caller: quiet, at: aMomentAgo(), outcome: 'abandoned_in_queue', option: 'complaint' });
    // A window that has just closed (China time now is past it).
    const clock = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(11, 16);
    if (clock > '00:01') {
      await setting({ opens: '00:00', closes: clock, attempts: 3, intervalMinutes: 1, dailyCap: 10 });
      await new Promise((r) => setTimeout(r, autoCallbackTickMs * 2));
      expect(await autoRows(quiet)).toHaveLength(0);
    }
    // Answered on a later call today: out of the queue, so out of the dialler's reach when it opens again.
    await seedCall(db, { courtId: t.courtId, caller: quiet, at: new Date(), outcome: 'answered', answeredBy: (await t.pgc.query(`select id from platform.users where court_id = $1 and role = 'operator' limit 1`, [t.courtId])).rows[0].id });
    await setting({ opens: '00:00', closes: '23:59', attempts: 3, intervalMinutes: 1, dailyCap: 10 });
    await new Promise((r) => setTimeout(r, autoCallbackTickMs * 2));
    expect(await autoRows(quiet)).toHaveLength(0);
  });

  it("starts no more attempts in a day than the court's daily cap", async () => {
    const made = (await t.pgc.query(`select count(*)::int as n from telephony.auto_callbacks where court_id = $1`, [t.courtId])).rows[0].n as number;
    t.sim.endpoint('trunk').busy();
    const callers = ['13900009103', '13900009104'];
    for (const caller of callers) await seedCall(db, { courtId: t.courtId, caller, at: aMomentAgo(), outcome: 'abandoned_in_queue', option: 'enquiry' });
    await setting({ opens: '00:00', closes: '23:59', attempts: 3, intervalMinutes: 1, dailyCap: made + 1 });
    const started = async () => (await Promise.all(callers.map(autoRows))).flat().length;
    await expect.poll(started, { timeout: 15_000 }).toBe(1);
    const [first] = (await Promise.all(callers.map(autoRows))).flat();
    await expect.poll(async () => (await autoRows(first.caller_number))[0]?.status, { timeout: 10_000 }).toBe('unreachable');
    await expect.poll(async () => (await t.rt.service.presenceOf(first.operator_id)).state, { timeout: 5000 }).toBe('ready');
    // Both callers are due and the operator is free again: the cap alone holds the second back.
    await new Promise((r) => setTimeout(r, autoCallbackTickMs * 3));
    expect(await started()).toBe(1);
  });

  it('never dials a withheld or anonymous number', async () => {
    t.sim.endpoint('trunk').busy();
    const withheld = ['anonymous', ''];
    for (const caller of withheld) await seedCall(db, { courtId: t.courtId, caller, at: aMomentAgo(), outcome: 'abandoned_in_queue', option: 'enquiry' });
    const before = (await t.pgc.query(`select count(*)::int as n from telephony.auto_callbacks where court_id = $1`, [t.courtId])).rows[0].n as number;
    await setting({ opens: '00:00', closes: '23:59', attempts: 3, intervalMinutes: 1, dailyCap: 1000 });
    // The dialler is at work (the caller the cap held back is dialled now, and ends unreached)…
    await expect.poll(async () => (await t.pgc.query(`select count(*)::int as n from telephony.auto_callbacks where court_id = $1`, [t.courtId])).rows[0].n, { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await t.pgc.query(`select count(*)::int as n from telephony.outbound_requests where court_id = $1 and status in ('scheduled', 'dialling')`, [t.courtId])).rows[0].n, { timeout: 10_000 }).toBe(0);
    // …with a free operator, yet over further rounds the withheld callers are left alone.
    await new Promise((r) => setTimeout(r, autoCallbackTickMs * 3));
    for (const caller of withheld) expect(await autoRows(caller)).toHaveLength(0);
  });
  it('a callback whose own row cannot be written is not filed either: nothing dialled unrecorded, filed once the row can be', async () => {
    t.sim.endpoint('trunk').busy();
    const caller = '13900009199';
    const callId = await seedCall(db, { courtId: t.courtId, caller, at: aMomentAgo(), outcome: 'abandoned_in_queue', option: 'enquiry' });
    const filed = async () => (await t.pgc.query(`select count(*)::int as n from telephony.outbound_requests where call_id = $1`, [callId])).rows[0].n as number;
    // PostgreSQL refuses this caller's automatic-callback row (as a failing write would).
    await t.pgc.query(`alter table telephony.auto_callbacks add constraint refuse_test_caller check (caller_number <> '${caller}')`);
    try {
      await setting({ opens: '00:00', closes: '23:59', attempts: 3, intervalMinutes: 1, dailyCap: 1000 });
      // The dialler is at work meanwhile: it would have filed this caller's callback by now (it does below within 15 s).
      await new Promise((r) => setTimeout(r, autoCallbackTickMs * 4));
      expect(await filed()).toBe(0);
      expect(await autoRows(caller)).toHaveLength(0);
    } finally {
      await t.pgc.query(`alter table telephony.auto_callbacks drop constraint if exists refuse_test_caller`);
    }
    await expect.poll(async () => [await filed(), (await autoRows(caller)).length], { timeout: 15_000 }).toEqual([1, 1]);
  });

  it("a callback whose first attempt Redis will not schedule leaves no automatic-callback row: it costs the caller no attempt and the court none of its cap", async () => {
    const caller = '13900009198';
    // Two days ago and an operator not ready: the dialler itself leaves this caller alone.
    const callId = await seedCall(db, { courtId: t.courtId, caller, at: new Date(Date.now() - 2 * 86_400_000), outcome: 'abandoned_in_queue', option: 'enquiry' });
    const operatorId = await t.addOperator('op9198', { ready: false });
    const down = { scheduleAttempt: async () => Promise.reject(new Error('Connection is closed.')) } as unknown as OutboundScheduler;
    const live = { operator: async () => undefined } as unknown as LiveState;
    const service = new OutboundService(db, live, down, serviceOf(t.hotline.deps, 'tickets'), 3);
    const actor = { userId: operatorId, role: 'operator' as const, courtId: t.courtId, departmentId: null };
    const alongside = {
      record: async (tx: Tx, outboundId: string) =>
        void (await tx.insert(autoCallbacks).values({ outboundId, courtId: t.courtId, callerNumber: caller, day: '2026-01-01', callId, operatorId, startedAt: new Date() })),
      undo: async (tx: Tx, outboundId: string) => void (await tx.delete(autoCallbacks).where(eq(autoCallbacks.outboundId, outboundId))),
    };
    await expect(service.request(actor, { purpose: 'missed_call', mode: 'operator', callId, attempts: 1 }, alongside)).rejects.toMatchObject({ code: 'queue_unavailable' });
    const requests = (await t.pgc.query(`select id, status, detail from telephony.outbound_requests where call_id = $1`, [callId])).rows;
    expect(requests).toMatchObject([{ status: 'failed', detail: 'queue unavailable' }]);
    expect((await t.pgc.query(`select count(*)::int as n from telephony.auto_callbacks where outbound_id = $1`, [requests[0].id])).rows[0].n).toBe(0);
  });
});
