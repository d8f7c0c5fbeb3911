import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSocket } from '../../api/testing/console-socket.ts';
import { useOutboundOverSim } from './testing/outbound-over-sim.ts';

// One process with the api and telephony roles over the ARI stand-in: the console's "call back" button end to end.
const t = await useOutboundOverSim();
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

async function desk(endpoint: string) {
  const operatorId = await t.addOperator(endpoint);
  const cookie = await t.cookieFor(operatorId);
  const socket = await ConsoleSocket.open(t.url, cookie);
  sockets.push(socket);
  await socket.next((m) => m.type === 'hello');
  return { operatorId, cookie, socket, actor: t.operatorActor(operatorId) };
}

const presenceOf = async (cookie: string) => (await fetch(`${t.url}/api/presence/me`, { headers: { cookie } }).then((r) => r.json())) as { state: string; reason: string | null };

describe('callback dialling: the operator first, then the caller, bridged', () => {
  it('relays a reply: rings the softphone, dials the caller through the trunk once answered, bridges, logs both legs', async () => {
    const d = await desk('op8001');
    t.sim.endpoint('op8001').answerAfter(100);
    t.sim.endpoint('trunk').answerAfter(150);
    const ticketId = await t.ticketIn('feedback', d.actor, '13800001111');

    const accepted = await t.requestCallback(d.cookie, { purpose: 'relay', ticketId });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ purpose: 'relay', mode: 'operator', ticketId, operatorId: d.operatorId, status: 'scheduled', callerNumberMasked: '138****1111', legs: [] });
    const id = accepted.body.id as string;

    const ringing = await d.socket.next((m) => m.type === 'outbound.ringing' && m.data.leg === 'operator', 5000);
    expect(ringing.data).toMatchObject({ outboundId: id, attempt: 1, operatorId: d.operatorId, ticketId, callerNumber: '13800001111' });
    await d.socket.next((m) => m.type === 'outbound.answered' && m.data.leg === 'operator', 5000);
    await d.socket.next((m) => m.type === 'outbound.ringing' && m.data.leg === 'caller', 5000);
    await d.socket.next((m) => m.type === 'outbound.answered' && m.data.leg === 'caller', 5000);
    expect((await presenceOf(d.cookie)).state).toBe('on_call');

    const op = `ob-${id}-1-op`;
    const caller = `ob-${id}-1-cl`;
    await expect.poll(() => t.sim.bridges().find((b) => b.id === `ob-${id}-1-br`)?.channels.sort() ?? [], { timeout: 3000 }).toEqual([caller, op].sort());
    // The caller leg went out through the trunk with the caller's number; the softphone showed whom it calls.
    const dial = t.sim.events().find((e) => e.event.type === 'Dial' && (e.event as any).peer?.id === caller && (e.event as any).dialstring);
    expect((dial?.event as any).dialstring).toBe('13800001111@trunk');
    expect(t.sim.channels().find((c) => c.id === op)?.caller.number).toBe('13800001111');

    t.sim.endpoint('trunk').hangup();
    const view = await t.settled(d.cookie, id, ['completed']);
    expect(view).toMatchObject({ status: 'completed', result: 'connected', attempts: 1, nextAttemptAt: null });
    expect(view.legs.map((l: any) => [l.attempt, l.leg, l.outcome, l.answeredAt !== null])).toEqual([
      [1, 'operator', 'answered', true],
      [1, 'caller', 'answered', true],
    ]);
    expect(t.sim.channels().filter((c) => c.id.startsWith(`ob-${id}`))).toEqual([]);
    const ended = await d.socket.next((m) => m.type === 'outbound.ended' && m.data.outboundId === id, 5000);
    expect(ended.data).toMatchObject({ result: 'connected', status: 'completed' });
    await expect.poll(async () => (await presenceOf(d.cookie)).state, { timeout: 5000 }).toBe('ready');
    // The recorded call says the caller was told: the relay is recorded on the ticket (relay.test.ts has the rest).
    await expect.poll(async () => (await t.ticket(ticketId)).stage, { timeout: 8000 }).toBe('callback');
  });

  it('an operator who does not answer is paused as missed, the caller is never dialled, and the request fails', async () => {
    const d = await desk('op8002');
    t.sim.endpoint('op8002').noAnswer();
    const ticketId = await t.ticketIn('callback', d.actor, '13800002222');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'return_visit', ticketId, mode: 'operator' });
    expect(accepted.status).toBe(202);
    const view = await t.settled(d.cookie, accepted.body.id, ['failed']);
    expect(view).toMatchObject({ result: 'operator_missed', attempts: 1, nextAttemptAt: null });
    expect(view.legs.map((l: any) => [l.leg, l.outcome, l.answeredAt])).toEqual([['operator', 'no_answer', null]]);
    expect(t.sim.events().some((e) => e.event.type === 'Dial' && (e.event as any).peer?.id === `ob-${accepted.body.id}-1-cl`)).toBe(false);
    expect(await presenceOf(d.cookie)).toMatchObject({ state: 'paused', reason: 'missed_call' });
  });

  it('a missed call whose caller is busy is retried after the spacing, in business hours, and then bridged', async () => {
    const d = await desk('op8003');
    t.sim.endpoint('op8003').answerAfter(50);
    t.sim.endpoint('trunk').busy();
    // Open every day, all day: the retry is due in business hours at once.
    for (let weekday = 1; weekday <= 7; weekday++) await t.pgc.query(`insert into tickets.business_hours (court_id, weekday, opens, closes) values ($1, $2, '00:00', '23:59:59')`, [t.courtId, weekday]);
    await t.rt.calendar.reload();
    const callId = await t.missedCall('13900003333', 'abandoned_in_queue');

    const accepted = await t.requestCallback(d.cookie, { purpose: 'missed_call', callId });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    const first = await d.socket.next((m) => m.type === 'outbound.ended' && m.data.outboundId === id, 8000);
    expect(first.data).toMatchObject({ attempt: 1, result: 'caller_not_reached', status: 'scheduled' });
    const spacing = Date.parse(first.data.nextAttemptAt) - Date.parse(first.data.endedAt);
    expect(spacing).toBeGreaterThanOrEqual(1000);
    t.sim.endpoint('trunk').answerAfter(50);

    await d.socket.next((m) => m.type === 'outbound.answered' && m.data.outboundId === id && m.data.leg === 'caller' && m.data.attempt === 2, 8000);
    t.sim.endpoint('trunk').hangup();
    const view = await t.settled(d.cookie, id, ['completed']);
    expect(view).toMatchObject({ result: 'connected', attempts: 2, callId });
    expect(view.legs.map((l: any) => [l.attempt, l.leg, l.outcome])).toEqual([
      [1, 'operator', 'answered'],
      [1, 'caller', 'busy'],
      [2, 'operator', 'answered'],
      [2, 'caller', 'answered'],
    ]);
    const retryStarted = Date.parse(view.legs[2].startedAt);
    expect(retryStarted - Date.parse(view.legs[1].endedAt)).toBeGreaterThanOrEqual(1000);
    await t.pgc.query(`delete from tickets.business_hours where court_id = $1`, [t.courtId]);
    await t.rt.calendar.reload();
  });
});

describe('automatic voice survey for return visits', () => {
  it.each([
    ['1', 'satisfied', 'closed', true],
    ['2', 'basically_satisfied', 'closed', true],
    ['3', 'unsatisfied', 'handoff', false],
  ] as const)('key %s records %s on the ticket (stage %s)', async (digit, satisfaction, stage, resolved) => {
    const d = await desk(`op81${digit}`);
    t.sim.endpoint('trunk').answerAfter(50);
    const ticketId = await t.ticketIn('callback', d.actor, `1370000000${digit}`);
    const accepted = await t.requestCallback(d.cookie, { purpose: 'return_visit', ticketId, mode: 'survey' });
    expect(accepted.status).toBe(202);
    const caller = `ob-${accepted.body.id}-1-cl`;
    await t.prompt(caller, 'survey-question');
    t.press(caller, digit);
    await t.prompt(caller, 'survey-thanks');
    const view = await t.settled(d.cookie, accepted.body.id, ['completed']);
    expect(view).toMatchObject({ result: 'surveyed', satisfaction, attempts: 1 });
    expect(view.legs.map((l: any) => [l.leg, l.outcome])).toEqual([['caller', 'answered']]);
    // No softphone was rung and the operator's presence was left alone.
    expect(t.sim.events().some((e) => (e.event as any).channel?.id === `ob-${accepted.body.id}-1-op`)).toBe(false);
    expect((await presenceOf(d.cookie)).state).toBe('ready');
    await expect.poll(() => t.ticket(ticketId), { timeout: 8000 }).toEqual({ stage, satisfaction, callback_resolved: resolved });
  });

  it('repeats the question once after an invalid key, then takes the answer', async () => {
    const d = await desk('op8201');
    t.sim.endpoint('trunk').answerAfter(50);
    const ticketId = await t.ticketIn('callback', d.actor, '13700000021');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'return_visit', ticketId, mode: 'survey' });
    const caller = `ob-${accepted.body.id}-1-cl`;
    await t.prompt(caller, 'survey-question');
    t.press(caller, '9');
    await t.prompt(caller, 'invalid');
    t.press(caller, '2');
    const view = await t.settled(d.cookie, accepted.body.id, ['completed']);
    expect(view).toMatchObject({ result: 'surveyed', satisfaction: 'basically_satisfied' });
    await expect.poll(() => t.ticket(ticketId), { timeout: 8000 }).toEqual({ stage: 'closed', satisfaction: 'basically_satisfied', callback_resolved: true });
  });

  it('two invalid or missing answers end with goodbye and leave the ticket for a return visit by hand', async () => {
    const d = await desk('op8202');
    t.sim.endpoint('trunk').answerAfter(50);
    const ticketId = await t.ticketIn('callback', d.actor, '13700000022');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'return_visit', ticketId, mode: 'survey' });
    const caller = `ob-${accepted.body.id}-1-cl`;
    await t.prompt(caller, 'survey-question');
    t.press(caller, '7');
    // then silence: the 1 s input timeout runs out after the repeated question
    await t.prompt(caller, 'goodbye');
    const view = await t.settled(d.cookie, accepted.body.id, ['completed']);
    expect(view).toMatchObject({ result: 'no_response', satisfaction: null });
    expect(view.legs[0]).toMatchObject({ leg: 'caller', outcome: 'answered', detail: 'no valid answer' });
    expect(await t.ticket(ticketId)).toEqual({ stage: 'callback', satisfaction: null, callback_resolved: null });
  });

  it('a caller who hangs up mid-survey: the leg is answered, nothing is recorded, no retry', async () => {
    const d = await desk('op8203');
    t.sim.endpoint('trunk').answerAfter(50);
    const ticketId = await t.ticketIn('callback', d.actor, '13700000023');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'return_visit', ticketId, mode: 'survey' });
    const caller = `ob-${accepted.body.id}-1-cl`;
    await t.prompt(caller, 'survey-intro');
    t.sim.endpoint('trunk').hangup();
    const view = await t.settled(d.cookie, accepted.body.id, ['completed']);
    expect(view).toMatchObject({ result: 'no_response', attempts: 1, nextAttemptAt: null });
    expect(await t.ticket(ticketId)).toEqual({ stage: 'callback', satisfaction: null, callback_resolved: null });
  });

  it('a caller who does not answer is retried no sooner than the next business opening', async () => {
    const d = await desk('op8204');
    t.sim.endpoint('trunk').noAnswer();
    const ticketId = await t.ticketIn('callback', d.actor, '13700000024');
    const accepted = await t.requestCallback(d.cookie, { purpose: 'return_visit', ticketId, mode: 'survey' });
    const id = accepted.body.id as string;
    await t.sim.waitFor('Dial', (e: any) => e.peer?.id === `ob-${id}-1-cl`, { includePast: true });
    // While the phone rings the court closes: hours only from two hours from now (Beijing time), one hour long.
    const hour = (Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date())) + 2) % 24;
    const opens = `${String(Math.min(hour, 22)).padStart(2, '0')}:00`;
    const closes = `${String(Math.min(hour, 22) + 1).padStart(2, '0')}:00`;
    for (let weekday = 1; weekday <= 7; weekday++) await t.pgc.query(`insert into tickets.business_hours (court_id, weekday, opens, closes) values ($1, $2, $3, $4)`, [t.courtId, weekday, opens, closes]);
    await t.rt.calendar.reload();

    const ended = await d.socket.next((m) => m.type === 'outbound.ended' && m.data.outboundId === id, 8000);
    expect(ended.data).toMatchObject({ result: 'caller_not_reached', status: 'scheduled' });
    const next = new Date(ended.data.nextAttemptAt);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toBe(`${opens}:00`);
    expect(next.getTime()).toBeGreaterThan(Date.now() + 60_000);
    const job = await t.rt.outbound.queue.getJob(`ob-${id}-2`);
    expect(await job?.getState()).toBe('delayed');
    expect(job!.timestamp + job!.delay).toBe(next.getTime());
    let view: any;
    // Created as scheduled too: wait for the attempt's own record.
    await expect.poll(async () => [(view = await t.view(d.cookie, id)).status, view.attempts, view.legs.length], { timeout: 8000 }).toEqual(['scheduled', 1, 1]);
    expect(view).toMatchObject({ nextAttemptAt: next.toISOString(), result: 'caller_not_reached' });
    expect(view.legs.map((l: any) => [l.leg, l.outcome])).toEqual([['caller', 'no_answer']]);
    await job!.remove();
    await t.pgc.query(`delete from tickets.business_hours where court_id = $1`, [t.courtId]);
    await t.rt.calendar.reload();
  });
});
