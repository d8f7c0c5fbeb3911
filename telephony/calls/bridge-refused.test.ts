import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSocket } from '../../api/testing/console-socket.ts';
import { sessionCookieFor } from '../../api/testing/fixtures.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// Asterisk refuses to put caller and operator in their bridge (both tries reset): they never heard each other, so
// the call is not connected. The caller waits again and the next operator's answer is the one that counts.
const t = await useTelephonyOverSim({ proxyAri: true, env: { HOTLINE_ROLES: 'api,telephony', ARI_COMMAND_TIMEOUT_MS: '500' } });
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

const addChannel = /^POST \/ari\/bridges\/[^/ ]+\/addChannel/;
const up = (channelId: string | null) => t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true });
const bridgedWith = (channelId: string | null) => t.sim.bridges().find((b) => b.channels.includes(channelId!))?.channels.length ?? 0;

describe('a bridge Asterisk refuses twice', () => {
  it('queues the caller again; the operator who then answers and is bridged is the one the call counts', async () => {
    const first = await t.addOperator('op6101');
    t.sim.endpoint('op6101').answerAfter(30);
    const desk = await ConsoleSocket.open(t.url, await sessionCookieFor(t.hotline.deps.db, first));
    sockets.push(desk);
    await desk.next((m) => m.type === 'hello');
    const before = t.ariProxy!.faulted(addChannel);
    t.ariProxy!.resetRequests(addChannel, 2);
    const call = await t.sim.placeCall({ from: '13800000070' });
    await up(call.channelId);
    await call.pressDigits('3');
    await expect.poll(() => t.ariProxy!.faulted(addChannel) - before, { timeout: 5000 }).toBe(2);
    // The same operator is offered the caller again (released without penalty) and this time the bridge holds.
    await expect.poll(() => bridgedWith(call.channelId), { timeout: 8000 }).toBe(2);
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'answered', answered_by: first, skill: 'complaint' });
    const events = await t.events(row.id);
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'answered' || k === 'bridge_failed' || k === 'operator_rung')).toEqual(['operator_rung', 'answered', 'bridge_failed', 'operator_rung', 'answered']);
    expect(events.find((e) => e.kind === 'bridge_failed')).toMatchObject({ operator_id: first, data: { requeued: true } });
    // Their desk was told the answer never became a conversation (it closes the screen pop).
    expect((await desk.next((m) => m.type === 'call.not_connected', 5000)).data).toEqual({ callId: row.id, operatorId: first });
    // The first, unbridged operator leg was hung up.
    await expect.poll(() => t.sim.channels().length).toBe(0);
    await t.rt.service.setPresence(first, 'logged_out');
  });

  it('a caller who leaves after it is not counted as answered', async () => {
    const op = await t.addOperator('op6102');
    t.sim.endpoint('op6102').answerAfter(30);
    t.ariProxy!.resetRequests(addChannel, 2);
    const call = await t.sim.placeCall({ from: '13800000071' });
    await up(call.channelId);
    await call.pressDigits('3');
    // Once the operator has answered (the bridge's two tries are at least 250 ms apart), their phone turns busy: the
    // offer that follows the refusal is missed, and the caller waits with no one to take them.
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.name?.startsWith('PJSIP/op6102') && e.channel.state === 'Up', { includePast: true });
    t.sim.endpoint('op6102').busy();
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length, { timeout: 5000 }).toBe(1);
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).operators.find((o) => o.userId === op)?.state, { timeout: 5000 }).toBe('paused');
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'abandoned_in_queue', hangup_by: 'caller', answered_at: null, answered_by: null });
    expect((await t.events(row.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(['answered', 'bridge_failed', 'operator_missed']));
    await t.rt.service.setPresence(op, 'logged_out');
  });
  it('a caller who hangs up while the answer to the bridge request is still on its way was answered: the bridge is taken first', async () => {
    const op = await t.addOperator('op6103');
    t.sim.endpoint('op6103').answerAfter(30);
    // Asterisk joins the two at once; its 204 comes 300 ms later, after the caller's hangup event.
    t.ariProxy!.delayResponses(addChannel, 300, 1);
    const call = await t.sim.placeCall({ from: '13800000072' });
    await up(call.channelId);
    await call.pressDigits('3');
    await expect.poll(() => bridgedWith(call.channelId), { timeout: 5000 }).toBe(2);
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: op });
    expect((await t.events(row.id)).map((e) => e.kind)).not.toContain('bridge_failed');
    await t.rt.service.setPresence(op, 'logged_out');
  });
});
