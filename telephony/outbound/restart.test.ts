import { describe, expect, it } from 'vitest';
import { useOutboundOverSim } from './testing/outbound-over-sim.ts';

// Retries an hour apart, so a pending retry is still pending when the controller stops and starts again.
// A long ring, so a callee left ringing is still ringing when the controller stops, however loaded the machine.
const t = await useOutboundOverSim({ TELEPHONY_OUTBOUND_RETRY_SECONDS: '3600', TELEPHONY_OUTBOUND_RING_SECONDS: '15' });

describe('outbound calls across a controller restart', () => {
  it('a retry pending when the controller stops is run by the next one: no attempt lost, none doubled', async () => {
    const operatorId = await t.addOperator('op8301');
    const cookie = await t.cookieFor(operatorId);
    const ticketId = await t.ticketIn('callback', t.operatorActor(operatorId), '13600000031');
    t.sim.endpoint('trunk').busy();
    const accepted = await t.requestCallback(cookie, { purpose: 'return_visit', ticketId, mode: 'survey' });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    let first: any;
    // The leg and the status reach PostgreSQL through the journal, one statement after the other: the leg can be
    // there while the status is still the request's own 'scheduled' (attempts 0), so the poll waits for attempt 1's.
    await expect.poll(async () => [(first = await t.view(cookie, id)).legs.length, first.status, first.attempts], { timeout: 8000 }).toEqual([1, 'scheduled', 1]);
    expect(first).toMatchObject({ status: 'scheduled', attempts: 1 });
    expect(Date.parse(first.nextAttemptAt) - Date.now()).toBeGreaterThan(3500_000);

    await t.stopHotline();
    await t.startHotline();

    const job = await t.rt.outbound.queue.getJob(`ob-${id}-2`);
    expect(await job?.getState()).toBe('delayed');
    // The hour passes: the retry is due now.
    t.sim.endpoint('trunk').answerAfter(50);
    await job!.promote();
    const caller = `ob-${id}-2-cl`;
    await t.prompt(caller, 'survey-question');
    t.press(caller, '1');
    const view = await t.settled(cookie, id, ['completed']);
    expect(view).toMatchObject({ result: 'surveyed', satisfaction: 'satisfied', attempts: 2 });
    expect(view.legs.map((l: any) => [l.attempt, l.leg, l.outcome])).toEqual([
      [1, 'caller', 'busy'],
      [2, 'caller', 'answered'],
    ]);
    await expect.poll(() => t.ticket(ticketId), { timeout: 8000 }).toEqual({ stage: 'closed', satisfaction: 'satisfied', callback_resolved: true });
    expect(await t.rt.outbound.queue.getJob(`ob-${id}-3`)).toBeUndefined();
  });

  it('a bridged callback survives the restart: the next controller takes it over and logs its end once', async () => {
    const operatorId = await t.addOperator('op8302');
    const cookie = await t.cookieFor(operatorId);
    t.sim.endpoint('op8302').answerAfter(50);
    t.sim.endpoint('trunk').answerAfter(50);
    const callId = await t.missedCall('13600000032', 'callback_requested');
    const accepted = await t.requestCallback(cookie, { purpose: 'missed_call', callId });
    const id = accepted.body.id as string;
    await expect.poll(() => t.sim.bridges().find((b) => b.id === `ob-${id}-1-br`)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);

    await t.stopHotline();
    await t.startHotline();
    // Still talking after the restart: nothing hung up, the bridge kept.
    await new Promise((r) => setTimeout(r, 500));
    expect(t.sim.channels().map((c) => c.id).filter((c) => c.startsWith(`ob-${id}`)).sort()).toEqual([`ob-${id}-1-cl`, `ob-${id}-1-op`]);
    expect(t.rt.outbound.holds(id)).toBe(true);

    t.sim.endpoint('trunk').hangup();
    const view = await t.settled(cookie, id, ['completed']);
    expect(view).toMatchObject({ result: 'connected', attempts: 1 });
    expect(view.legs.map((l: any) => [l.leg, l.outcome])).toEqual([
      ['operator', 'answered'],
      ['caller', 'answered'],
    ]);
    expect(t.sim.channels().filter((c) => c.id.startsWith(`ob-${id}`))).toEqual([]);
    // Exactly one inbound call row: the outbound channels were never taken for callers.
    expect((await t.pgc.query(`select count(*)::int as n from telephony.calls where channel_id like 'ob-%'`)).rows[0].n).toBe(0);
  });

  it('an attempt interrupted while the caller rings is hung up by the next controller, logged once, and retried by the policy', async () => {
    const operatorId = await t.addOperator('op8303');
    const cookie = await t.cookieFor(operatorId);
    const ticketId = await t.ticketIn('callback', t.operatorActor(operatorId), '13600000033');
    t.sim.endpoint('trunk').noAnswer();
    const accepted = await t.requestCallback(cookie, { purpose: 'return_visit', ticketId, mode: 'survey' });
    const id = accepted.body.id as string;
    await t.sim.waitFor('Dial', (e: any) => e.peer?.id === `ob-${id}-1-cl`, { includePast: true });

    await t.stopHotline();
    expect(t.sim.channels().some((c) => c.id === `ob-${id}-1-cl`)).toBe(true);
    await t.startHotline();

    let view: any;
    await expect.poll(async () => [(view = await t.view(cookie, id)).legs.length, view.status], { timeout: 8000 }).toEqual([1, 'scheduled']);
    await new Promise((r) => setTimeout(r, 500));
    view = await t.view(cookie, id);
    expect(view.legs).toHaveLength(1);
    expect(view).toMatchObject({ status: 'scheduled', attempts: 1, result: 'caller_not_reached', detail: 'interrupted by a controller restart' });
    expect(view.legs[0]).toMatchObject({ attempt: 1, leg: 'caller', outcome: 'failed', answeredAt: null, detail: 'interrupted by a controller restart' });
    expect(t.sim.channels().filter((c) => c.id.startsWith(`ob-${id}`))).toEqual([]);
    expect(await (await t.rt.outbound.queue.getJob(`ob-${id}-2`))?.getState()).toBe('delayed');
    expect(t.rt.outbound.holds(id)).toBe(false);
  });
});
