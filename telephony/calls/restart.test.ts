import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

const t = await useTelephonyOverSim({ env: { TELEPHONY_MAX_WAIT_SECONDS: '60', TELEPHONY_RING_SECONDS: '3' } });

const up = (channelId: string | null) => t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true });
const stateOf = async (userId: string) => (await t.rt.service.queueSnapshot(t.courtId)).operators.find((o) => o.userId === userId)?.state;
const waitingIds = async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.map((w: { callId: string }) => w.callId);
const bridgeOf = (channelId: string | null) => t.sim.bridges().find((b) => b.channels.includes(channelId!));

describe('a controller restart with calls in every phase', () => {
  it('keeps bridged calls, serves queued and menu callers in order, closes calls that ended meanwhile, one row each', async () => {
    const talking = await t.addOperator('op3001');
    t.sim.endpoint('op3001').answerAfter(50);
    const bridged = await t.sim.placeCall({ from: '13800000040' });
    await up(bridged.channelId);
    await bridged.pressDigits('0');
    await expect.poll(() => bridgeOf(bridged.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    await expect.poll(() => stateOf(talking)).toBe('on_call');

    const queued = await t.sim.placeCall({ from: '13800000041' });
    const leaving = await t.sim.placeCall({ from: '13800000042' });
    const inMenu = await t.sim.placeCall({ from: '13800000043' });
    for (const c of [queued, leaving, inMenu]) await up(c.channelId);
    await queued.pressDigits('2');
    await expect.poll(waitingIds).toHaveLength(1);
    await leaving.pressDigits('3');
    await expect.poll(waitingIds).toHaveLength(2);
    const [queuedId] = await waitingIds();

    await t.stopHotline();
    leaving.hangup(); // while no controller is connected: its events are lost
    expect(bridged.state).toBe('Up');

    await t.startHotline();
    // The bridged call goes on untouched; the caller who left is closed with the outcome of where they were.
    expect(await t.closedCall(leaving.channelId)).toMatchObject({ outcome: 'abandoned_in_queue', hangup_by: 'caller', skill: 'complaint' });
    expect(bridgeOf(bridged.channelId)?.channels).toHaveLength(2);
    // The menu caller joins the queue behind the one who was already waiting, who keeps the first place.
    await expect.poll(waitingIds).toHaveLength(2);
    expect((await waitingIds())[0]).toBe(queuedId);

    const next = await t.addOperator('op3002');
    t.sim.endpoint('op3002').answerAfter(50);
    await expect.poll(() => bridgeOf(queued.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    const last = await t.addOperator('op3003');
    t.sim.endpoint('op3003').answerAfter(50);
    await expect.poll(() => bridgeOf(inMenu.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);

    bridged.hangup();
    queued.hangup();
    t.sim.endpoint('op3003').hangup();
    expect(await t.closedCall(bridged.channelId)).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: talking });
    expect(await t.closedCall(queued.channelId)).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: next, skill: 'enquiry' });
    const menuRow = await t.closedCall(inMenu.channelId);
    expect(menuRow).toMatchObject({ outcome: 'answered', hangup_by: 'operator', answered_by: last, skill: 'general' });
    expect((await t.events(menuRow.id)).map((e) => e.kind)).toEqual(['arrived', 'menu_fallback', 'queued', 'operator_rung', 'answered', 'hangup']);
    for (const c of [bridged, queued, leaving, inMenu]) expect(await t.callRows(c.channelId)).toHaveLength(1);
    await expect.poll(() => t.sim.channels().length).toBe(0);
    await expect.poll(() => stateOf(talking), { timeout: 5000 }).toBe('ready');
    for (const id of [talking, next, last]) await t.rt.service.setPresence(id, 'logged_out');
  });

  it('a bridged call that ended meanwhile is closed as answered and its operator is not left on the call', async () => {
    const op = await t.addOperator('op3011');
    t.sim.endpoint('op3011').answerAfter(50);
    const call = await t.sim.placeCall({ from: '13800000044' });
    await up(call.channelId);
    await call.pressDigits('3');
    await expect.poll(() => bridgeOf(call.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);

    await t.stopHotline();
    call.hangup();
    await t.startHotline();
    expect(await t.closedCall(call.channelId)).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: op, skill: 'complaint' });
    // The operator's leg, left alone in the bridge, is hung up and the bridge destroyed; the operator wraps up.
    await expect.poll(() => t.sim.channels().length).toBe(0);
    await expect.poll(() => t.sim.bridges().length).toBe(0);
    await expect.poll(() => stateOf(op), { timeout: 5000 }).toBe('ready');
    // The presence records reach PostgreSQL through the journal, a moment after Redis.
    const lastStates = async () => (await t.pgc.query(`select state from telephony.presence_events where operator_id = $1 order by at, state`, [op])).rows.map((r) => r.state).slice(-2);
    await expect.poll(lastStates, { timeout: 5000 }).toEqual(['wrap_up', 'ready']);
    await t.rt.service.setPresence(op, 'logged_out');
  });

  it('an operator who answers while no controller is connected is bridged by the next one', async () => {
    const op = await t.addOperator('op3021');
    t.sim.endpoint('op3021').answerAfter(1200);
    const call = await t.sim.placeCall({ from: '13800000045' });
    await up(call.channelId);
    await call.pressDigits('0');
    await t.sim.waitFor('Dial', (e: any) => e.dialstatus === 'RINGING', { timeoutMs: 5000, includePast: false });
    await t.stopHotline();
    await expect.poll(() => t.sim.endpoint('op3021').channels()[0]?.state, { timeout: 5000 }).toBe('Up');
    await t.startHotline();
    await expect.poll(() => bridgeOf(call.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    await expect.poll(() => stateOf(op)).toBe('on_call');
    call.hangup();
    expect(await t.closedCall(call.channelId)).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: op });
    await t.rt.service.setPresence(op, 'logged_out').catch(() => undefined);
  });

  it('a ring in progress is released unpenalised and the caller served after the restart', async () => {
    const op = await t.addOperator('op3031');
    t.sim.endpoint('op3031').noAnswer();
    const call = await t.sim.placeCall({ from: '13800000046' });
    await up(call.channelId);
    await call.pressDigits('0');
    await t.sim.waitFor('Dial', (e: any) => e.dialstatus === 'RINGING', { timeoutMs: 5000 });
    await t.stopHotline();
    t.sim.endpoint('op3031').answerAfter(50);
    await t.startHotline();
    // The old leg is hung up; the operator is ready again (not paused for a missed call) and rung anew.
    await expect.poll(() => bridgeOf(call.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'answered', answered_by: op });
    const kinds = (await t.events(row.id)).map((e) => e.kind);
    expect(kinds).toEqual(['arrived', 'menu_choice', 'queued', 'operator_rung', 'operator_released', 'operator_rung', 'answered', 'hangup']);
    expect(kinds).not.toContain('operator_missed');
  });
});
