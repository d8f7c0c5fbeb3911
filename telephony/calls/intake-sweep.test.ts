import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCourt, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { serviceOf } from '../../platform/deps.ts';
import { HotlineError } from '../../platform/errors.ts';
import { loggedLines } from '../../test/harness/logged.ts';
import { ticketsIntake } from '../ticket-intake.ts';
import { seedCall } from '../unowned/testing/seed.ts';
import { IntakeSweep, sweepAfterMs } from './intake-sweep.ts';

// Over real PostgreSQL and Redis: calls that left a message or asked for a callback and have no ticket (the live
// intake gave up, or its process stopped) get theirs from the sweep, once; a call the live intake may still be
// trying is left to it; one sweep at a time in the deployment.
const api = await useApi();
const db = api.deps.db;
let court: SeededCourt;
beforeAll(async () => {
  court = await seedCourt(db);
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const event = (callId: string, kind: string, data: object) =>
  db.execute(sql`insert into telephony.call_events (id, call_id, court_id, at, seq, kind, data) values (${randomUUID()}, ${callId}, ${court.courtId}, now(), 5, ${kind}::telephony.call_event_kind, ${JSON.stringify(data)}::jsonb)`);
const ticketsOf = async (callId: string) =>
  (await db.execute<{ summary: string; details: string; owner_id: string | null }>(sql`select t.summary, t.details, t.owner_id from tickets.tickets t join tickets.ticket_calls c on c.ticket_id = t.id where c.call_id = ${callId}`)).rows;

describe('the sweep of tickets calls are owed', () => {
  it('makes the missing tickets of messages and callback requests once, leaves recent calls to the live intake, and says each repair', async () => {
    const tickets = serviceOf(api.deps, 'tickets');
    const { logger, lines } = loggedLines();
    const sweep = new IntakeSweep({ db, redis: api.deps.redis, prefix: api.deps.config.redis.prefix, intake: ticketsIntake(tickets, logger), logger });

    const afterHours = await seedCall(db, { courtId: court.courtId, caller: '13800000501', at: minutesAgo(20), outcome: 'message_left' });
    await db.execute(sql`update telephony.calls set in_hours = false where id = ${afterHours}`);
    await event(afterHours, 'message_left', { name: `msg-${afterHours}`, durationSeconds: null });
    const callback = await seedCall(db, { courtId: court.courtId, caller: '13800000502', at: minutesAgo(20), outcome: 'callback_requested' });
    await event(callback, 'callback_requested', {});
    // Already has its ticket (the live intake made it).
    const done = await seedCall(db, { courtId: court.courtId, caller: '13800000503', at: minutesAgo(20), outcome: 'message_left' });
    await event(done, 'message_left', { name: `msg-${done}`, durationSeconds: null });
    await tickets.createFromMessage({ courtId: court.courtId, callId: done, callerNumber: '13800000503', kind: 'message', reason: 'queue_timeout', recordingName: `msg-${done}` });
    // Just ended: the live intake may still be trying it.
    const recent = await seedCall(db, { courtId: court.courtId, caller: '13800000504', at: new Date(Date.now() - sweepAfterMs / 2), outcome: 'message_left' });
    await event(recent, 'message_left', { name: `msg-${recent}`, durationSeconds: null });

    expect(await sweep.run()).toBe(2);
    expect(await ticketsOf(afterHours)).toEqual([{ summary: '非工作时间留言，待回电登记', details: `留言录音 (recording): msg-${afterHours}`, owner_id: null }]);
    expect(await ticketsOf(callback)).toEqual([{ summary: '等待超时请求回电，待回电登记', details: '', owner_id: null }]);
    expect(await ticketsOf(done)).toHaveLength(1);
    expect(await ticketsOf(recent)).toEqual([]);
    expect(lines.filter((l) => l.msg === 'made the ticket a call was owed (its intake had failed)').map((l) => l.fields.callId).sort()).toEqual([afterHours, callback].sort());

    // Swept again: nothing more.
    expect(await sweep.run()).toBe(0);
    expect(await ticketsOf(afterHours)).toHaveLength(1);
  });

  it('does nothing while another sweep holds the deployment lock', async () => {
    const { logger } = loggedLines();
    const tickets = serviceOf(api.deps, 'tickets');
    const sweep = new IntakeSweep({ db, redis: api.deps.redis, prefix: api.deps.config.redis.prefix, intake: ticketsIntake(tickets, logger), logger });
    const owed = await seedCall(db, { courtId: court.courtId, caller: '13800000505', at: minutesAgo(30), outcome: 'callback_requested' });
    await event(owed, 'callback_requested', {});
    const lock = `${api.deps.config.redis.prefix}:tel:intake-sweep`;
    await api.deps.redis.set(lock, 'another process', 'PX', 10_000);
    expect(await sweep.run()).toBe(0);
    expect(await ticketsOf(owed)).toEqual([]);
    await api.deps.redis.del(lock);
    expect(await sweep.run()).toBe(1);
  });

  it('a call whose ticket is refused is said once and left alone; the calls after it still get theirs', async () => {
    const { logger, lines } = loggedLines();
    const tickets = serviceOf(api.deps, 'tickets');
    const real = ticketsIntake(tickets, logger);
    const refusedCall = await seedCall(db, { courtId: court.courtId, caller: '13800000506', at: minutesAgo(40), outcome: 'callback_requested' });
    await event(refusedCall, 'callback_requested', {});
    const later = await seedCall(db, { courtId: court.courtId, caller: '13800000507', at: minutesAgo(35), outcome: 'callback_requested' });
    await event(later, 'callback_requested', {});
    const intake = {
      ...real,
      callbackRequested: async (call: { callId: string; courtId: string | null; callerNumber: string }) => {
        if (call.callId === refusedCall) throw new HotlineError('invalid_input', 400, 'no such category', '类别无效');
        return real.callbackRequested(call);
      },
    };
    const sweep = new IntakeSweep({ db, redis: api.deps.redis, prefix: api.deps.config.redis.prefix, intake, logger });
    expect(await sweep.run()).toBe(1);
    expect(await ticketsOf(later)).toHaveLength(1);
    const refusals = () => lines.filter((l) => l.msg === 'ticket a call is owed refused: left for a person');
    expect(refusals().map((l) => [l.level, l.fields.callId])).toEqual([['error', refusedCall]]);
    expect(await sweep.run()).toBe(0);
    expect(refusals()).toHaveLength(1);
  });
});
