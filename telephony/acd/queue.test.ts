import { describe, expect, it } from 'vitest';
import type { HotlineEvent } from '../../platform/events.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

const t = await useTelephonyOverSim({ env: { TELEPHONY_MAX_WAIT_SECONDS: '3' } });
const published: HotlineEvent[] = [];
await t.hotline.deps.events.subscribe((e) => published.push(e));

async function queuedCall(from: string, digit = '0') {
  const call = await t.sim.placeCall({ from });
  await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === call.channelId && e.channel.state === 'Up', { includePast: true });
  await call.pressDigits(digit);
  return call;
}

describe('queue and operators over the stand-in', () => {
  it('rings the longest-idle ready operator, rotates on no answer (pausing the one who missed), bridges on answer', async () => {
    const first = await t.addOperator('op2001');
    const second = await t.addOperator('op2002');
    t.sim.endpoint('op2001').noAnswer();
    t.sim.endpoint('op2002').answerAfter(100);

    const call = await queuedCall('13800000020');
    await expect.poll(() => t.sim.bridges().length, { timeout: 8000 }).toBe(1);
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).operators.find((o) => o.userId === second)?.state).toBe('on_call');
    const presence = await t.rt.service.queueSnapshot(t.courtId);
    expect(presence.operators.find((o) => o.userId === first)).toMatchObject({ state: 'paused', reason: 'missed_call' });
    expect(presence.operators.find((o) => o.userId === second)).toMatchObject({ state: 'on_call' });
    await expect.poll(() => published.filter((e) => e.type === 'call.screen_pop').length).toBe(1);
    expect(published.find((e) => e.type === 'call.screen_pop')).toMatchObject({ audience: { userIds: [second] }, data: { callerNumber: '13800000020' } });

    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: second });
    const events = await t.events(row.id);
    expect(events.map((e) => [e.kind, e.operator_id])).toEqual([
      ['arrived', null],
      ['menu_choice', null],
      ['queued', null],
      ['operator_rung', first],
      ['operator_missed', first],
      ['operator_rung', second],
      ['answered', second],
      ['hangup', null],
    ]);
    expect(events.at(-1)!.data).toMatchObject({ by: 'caller' });
    // wrap-up is 0 s: the operator is ready again
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).operators.find((o) => o.userId === second)?.state, { timeout: 5000 }).toBe('ready');
    // The presence records reach PostgreSQL through the journal, a moment after Redis.
    const states = async () => (await t.pgc.query(`select state from telephony.presence_events where operator_id = $1 order by at, state`, [second])).rows.map((r) => r.state);
    await expect.poll(states, { timeout: 5000 }).toEqual(expect.arrayContaining(['ready', 'ringing', 'on_call', 'wrap_up']));
    for (const id of [first, second]) await t.rt.service.setPresence(id, 'logged_out');
  });

  it('with no operator the caller waits, then is offered a callback; pressing 1 requests it', async () => {
    const call = await queuedCall('13800000021', '3');
    await t.sim.waitFor('PlaybackStarted', (e: any) => e.playback?.media_uri?.includes('offer-callback'), { timeoutMs: 8000 });
    await call.pressDigits('1');
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'callback_requested', hangup_by: 'system', skill: 'complaint' });
    expect((await t.events(row.id)).map((e) => e.kind)).toEqual(['arrived', 'menu_choice', 'queued', 'max_wait', 'callback_requested', 'hangup']);
  });

  it('a caller who hangs up while an operator rings is abandoned in queue, and the operator is ready again unpenalised', async () => {
    const op = await t.addOperator('op2003');
    t.sim.endpoint('op2003').noAnswer();
    const call = await queuedCall('13800000022');
    await t.sim.waitFor('Dial', (e: any) => e.dialstatus === 'RINGING', { timeoutMs: 5000 });
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row.outcome).toBe('abandoned_in_queue');
    expect((await t.events(row.id)).map((e) => e.kind)).toContain('operator_released');
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).operators.find((o) => o.userId === op)?.state).toBe('ready');
    await t.rt.service.setPresence(op, 'logged_out');
  });

  it('the operator hanging up ends the call as answered by the operator', async () => {
    const op = await t.addOperator('op2004');
    t.sim.endpoint('op2004').answerAfter(50);
    const call = await queuedCall('13800000023', '3');
    await expect.poll(() => t.sim.bridges().length, { timeout: 5000 }).toBeGreaterThan(0);
    t.sim.endpoint('op2004').hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'answered', hangup_by: 'operator', answered_by: op, skill: 'complaint' });
    await t.rt.service.setPresence(op, 'logged_out');
  });

  it('refuses presence changes that break the rules, with a clear error', async () => {
    const op = await t.addOperator('op2005', { ready: false });
    await expect(t.rt.service.setPresence(op, 'paused')).rejects.toMatchObject({ code: 'reason_required' });
    await expect(t.rt.service.setPresence(op, 'paused', '培训')).rejects.toMatchObject({ code: 'presence_conflict' });
  });
});
