import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

const t = await useTelephonyOverSim({ env: { TELEPHONY_MAX_WAIT_SECONDS: '60' } });

const up = (channelId: string | null) => t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true });
const bridgeOf = (channelId: string | null) => t.sim.bridges().find((b) => b.channels.includes(channelId!));
const stateOf = async (userId: string) => (await t.rt.service.queueSnapshot(t.courtId)).operators.find((o) => o.userId === userId)?.state;
const waiting = async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length;
const hangupEvent = async (callId: string) => (await t.events(callId)).find((e) => e.kind === 'hangup')?.data;

/** A caller talking with an operator, one waiting in the queue, one in the menu. */
async function callsInEveryPhase(endpoint: string, from: string) {
  const op = await t.addOperator(endpoint);
  t.sim.endpoint(endpoint).answerAfter(30);
  const talking = await t.sim.placeCall({ from: `${from}1` });
  await up(talking.channelId);
  await talking.pressDigits('0');
  await expect.poll(() => bridgeOf(talking.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
  const queued = await t.sim.placeCall({ from: `${from}2` });
  await up(queued.channelId);
  await queued.pressDigits('2');
  await expect.poll(waiting).toBe(1);
  const inMenu = await t.sim.placeCall({ from: `${from}3` });
  await up(inMenu.channelId);
  return { op, talking, queued, inMenu };
}

describe('hang-up parties when Asterisk goes away under the calls (stand-in)', () => {
  it('an Asterisk restart (no hangup events, the socket cut) closes every call by the system; a later drop is the caller’s again', async () => {
    const { op, talking, queued, inMenu } = await callsInEveryPhase('op7001', '1380000070');
    const before = t.rt.ari.asteriskStartup;
    expect(before).toBeTruthy();

    // Down for over a second, as a real restart is: channel ids (`<epoch seconds>.<n>`, n from 0 again) stay unique.
    await t.sim.restartAsterisk({ downMs: 1100 });
    await expect.poll(() => t.rt.ari.restartedAt, { timeout: 10_000 }).toBeDefined();
    expect(t.rt.ari.asteriskStartup).not.toBe(before);

    const talked = await t.closedCall(talking.channelId);
    expect(talked).toMatchObject({ outcome: 'answered', hangup_by: 'system', answered_by: op });
    expect(await hangupEvent(talked.id)).toMatchObject({ by: 'system', phase: 'connected', reason: 'asterisk_restart' });
    const waited = await t.closedCall(queued.channelId);
    expect(waited).toMatchObject({ outcome: 'failed', hangup_by: 'system', skill: 'enquiry' });
    expect(await hangupEvent(waited.id)).toMatchObject({ by: 'system', phase: 'queued', reason: 'asterisk_restart' });
    expect(await t.closedCall(inMenu.channelId)).toMatchObject({ outcome: 'failed', hangup_by: 'system' });
    for (const c of [talking, queued, inMenu]) expect(await t.callRows(c.channelId)).toHaveLength(1);
    await expect.poll(() => t.rt.controller.activeCalls).toBe(0);
    expect(await waiting()).toBe(0);
    await expect.poll(() => stateOf(op), { timeout: 5000 }).toBe('ready');

    // The same Asterisk across a websocket drop: a caller gone meanwhile hung up.
    const next = await t.sim.placeCall({ from: '13800000704' });
    await up(next.channelId);
    t.sim.dropWebsocket();
    await expect.poll(() => t.rt.ari.connected).toBe(false);
    next.hangup();
    await expect.poll(() => t.rt.ari.connected, { timeout: 15_000 }).toBe(true);
    expect(await t.closedCall(next.channelId)).toMatchObject({ outcome: 'abandoned_in_menu', hangup_by: 'caller' });
    await t.rt.service.setPresence(op, 'logged_out');
  });

  it('Asterisk restarted while no controller ran: the next controller closes the saved calls by the system', async () => {
    const { op, talking, queued, inMenu } = await callsInEveryPhase('op7002', '1380000071');
    await t.stopHotline();
    await t.sim.restartAsterisk({ downMs: 1100 });
    await t.startHotline();

    expect(await t.closedCall(talking.channelId)).toMatchObject({ outcome: 'answered', hangup_by: 'system', answered_by: op });
    expect(await t.closedCall(queued.channelId)).toMatchObject({ outcome: 'failed', hangup_by: 'system', skill: 'enquiry' });
    const menuRow = await t.closedCall(inMenu.channelId);
    expect(menuRow).toMatchObject({ outcome: 'failed', hangup_by: 'system' });
    expect(await hangupEvent(menuRow.id)).toMatchObject({ by: 'system', reason: 'asterisk_restart' });
    await expect.poll(() => stateOf(op), { timeout: 5000 }).toBe('ready');
    await t.rt.service.setPresence(op, 'logged_out');
  });

  it('Asterisk shutting down hangs every channel up (soft, reason SHUTDOWN): the first one heard ends the call, by the system', async () => {
    const op = await t.addOperator('op7003');
    t.sim.endpoint('op7003').answerAfter(30);
    const call = await t.sim.placeCall({ from: '13800000720' });
    await up(call.channelId);
    await call.pressDigits('3');
    await expect.poll(() => bridgeOf(call.channelId)?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    const leg = t.sim.channels().find((c) => c.id !== call.channelId && bridgeOf(call.channelId)!.channels.includes(c.id))!;
    // What ast_begin_shutdown publishes for each channel, the operator's leg first here (Asterisk keeps no order).
    const frame = { cause: 4, soft: true, type: 'ChannelHangupRequest', timestamp: '2026-11-21T11:12:44.516+0000', channel: leg, asterisk_id: '02:fc:00:00:00:01', application: t.sim.app };
    expect(t.sim.sendRawFrame(JSON.stringify(frame))).toBe(1);

    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'answered', hangup_by: 'system', answered_by: op, skill: 'complaint' });
    expect(await hangupEvent(row.id)).toMatchObject({ by: 'system', reason: 'asterisk_shutdown' });
    await expect.poll(() => t.sim.channels().length).toBe(0);
    await t.rt.service.setPresence(op, 'logged_out');
  });
});
