import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

const t = await useTelephonyOverSim({ proxyAri: true, env: { ARI_COMMAND_TIMEOUT_MS: '500' } });

const up = (channelId: string | null) => t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true });

describe('ARI requests reset in flight (an overloaded Asterisk) while the event websocket flows', () => {
  it('a call whose command got no answer still closes when its caller hangs up, and the next call is served', async () => {
    const call = await t.sim.placeCall({ from: '13800000060' });
    await up(call.channelId);
    t.ariProxy!.resetRequests(true);
    await call.pressDigits('2'); // stop the prompt, announce the position: requests that are reset
    await t.sim.waitFor('ChannelDtmfReceived', (e: any) => e.channel?.id === call.channelId, { includePast: true });
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'abandoned_in_queue', hangup_by: 'caller', skill: 'enquiry' });
    expect((await t.events(row.id)).map((e) => e.kind)).toEqual(['arrived', 'menu_choice', 'queued', 'hangup']);
    await expect.poll(() => t.rt.controller.activeCalls).toBe(0);
    expect(t.rt.ari.connected).toBe(true);

    t.ariProxy!.resetRequests(false);
    const op = await t.addOperator('op6001');
    t.sim.endpoint('op6001').answerAfter(30);
    const next = await t.sim.placeCall({ from: '13800000061' });
    await up(next.channelId);
    await next.pressDigits('0');
    await expect.poll(() => t.sim.bridges().find((b) => b.channels.includes(next.channelId!))?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    next.hangup();
    expect(await t.closedCall(next.channelId)).toMatchObject({ outcome: 'answered', answered_by: op });
    await expect.poll(() => t.sim.channels().length).toBe(0);
    await t.rt.service.setPresence(op, 'logged_out');
  });
});

describe('a reconcile that cannot read ARI after a websocket drop', () => {
  it('is retried, so a caller who hung up while the socket was down is still closed', async () => {
    const call = await t.sim.placeCall({ from: '13800000062' });
    await up(call.channelId);
    await call.pressDigits('3');
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length).toBe(1);
    let connects = 0;
    t.rt.ari.onConnected(() => connects++);
    // Listing the channels fails: the reconcile after the reconnect cannot see who left.
    t.ariProxy!.resetRequests(/^GET \/ari\/channels[ ?]/);
    expect(t.sim.dropWebsocket()).toBe(1);
    call.hangup(); // lost: the app has no websocket
    await expect.poll(() => connects, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 800));
    expect(t.rt.controller.activeCalls).toBe(1);
    t.ariProxy!.resetRequests(false);
    expect(await t.closedCall(call.channelId)).toMatchObject({ outcome: 'abandoned_in_queue', hangup_by: 'caller', skill: 'complaint' });
    await expect.poll(() => t.rt.controller.activeCalls).toBe(0);
    expect((await t.rt.service.queueSnapshot(t.courtId)).waiting).toEqual([]);
  });
});

describe('tagging the caller’s channel while setVariable gets no answer (as under load, behind long playbacks)', () => {
  const setVariable = /^POST \/ari\/channels\/[^/ ]+\/variable/;

  it('a tag whose request timed out is tried again and lands', async () => {
    const before = t.ariProxy!.faulted(setVariable);
    t.ariProxy!.stallRequests(setVariable, 1);
    const call = await t.sim.placeCall({ from: '13800000063' });
    await up(call.channelId);
    await expect.poll(() => call.snapshot()?.channelvars?.HOTLINE_CALL_ID, { timeout: 5000 }).toBeTruthy();
    const tag = call.snapshot()!.channelvars!;
    expect(t.ariProxy!.faulted(setVariable) - before).toBe(1);
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(tag).toEqual({ HOTLINE_CALL_ID: row.id, COURT_ID: t.courtId });
  });

  it('a tag that fails every time is given up after its last try, and the call goes through the menu to an operator', async () => {
    const before = t.ariProxy!.faulted(setVariable);
    t.ariProxy!.stallRequests(setVariable);
    const op = await t.addOperator('op6002');
    t.sim.endpoint('op6002').answerAfter(30);
    const call = await t.sim.placeCall({ from: '13800000064' });
    await up(call.channelId);
    await call.pressDigits('3');
    await expect.poll(() => t.sim.bridges().find((b) => b.channels.includes(call.channelId!))?.channels.length ?? 0, { timeout: 5000 }).toBe(2);
    expect(call.snapshot()!.channelvars).toEqual({ HOTLINE_CALL_ID: '', COURT_ID: '' });
    // 4 tries of each variable, then no more (each ends in the 500 ms ARI_COMMAND_TIMEOUT_MS).
    await expect.poll(() => t.ariProxy!.faulted(setVariable) - before, { timeout: 10_000 }).toBe(8);
    await new Promise((r) => setTimeout(r, 1500));
    expect(t.ariProxy!.faulted(setVariable) - before).toBe(8);
    // Reported where monitoring looks: both variables' tags counted as failed.
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/^hotline_channel_tag_failures_total [1-9]/m);
    t.ariProxy!.stallRequests(false);
    call.hangup();
    expect(await t.closedCall(call.channelId)).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: op, skill: 'complaint' });
    await t.rt.service.setPresence(op, 'logged_out');
  });
});
