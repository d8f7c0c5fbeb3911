import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

const t = await useTelephonyOverSim();

describe('voice menu over the ARI stand-in', () => {
  it('logs the call at once with caller, number dialled and court, and closes it when the caller hangs up in the menu', async () => {
    const call = await t.sim.placeCall({ from: '13800000001' });
    await expect.poll(async () => (await t.callRows(call.channelId)).length).toBe(1);
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'abandoned_in_menu', hangup_by: 'caller', caller_number: '13800000001', dialled: '12368', court_id: t.courtId });
    expect((await t.events(row.id)).map((e) => e.kind)).toEqual(['arrived', 'hangup']);
  });

  it.each([
    ['2', 'enquiry'],
    ['3', 'complaint'],
    ['0', 'general'],
  ])('digit %s queues the caller for %s', async (digit, skill) => {
    const call = await t.sim.placeCall({ from: '13800000002' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === call.channelId && e.channel.state === 'Up');
    await call.pressDigits(digit);
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length).toBe(1);
    call.hangup();
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'abandoned_in_queue', skill, in_hours: true });
    const events = await t.events(row.id);
    expect(events.map((e) => e.kind)).toEqual(['arrived', 'menu_choice', 'queued', 'hangup']);
    expect(events[1]!.data).toMatchObject({ digit });
    expect((await t.rt.service.queueSnapshot(t.courtId)).waiting).toEqual([]);
  });

  it('repeats the menu twice on wrong or no input, then queues for an operator', async () => {
    const call = await t.sim.placeCall({ from: '13800000003' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === call.channelId && e.channel.state === 'Up');
    await call.pressDigits('9');
    await call.pressDigits('*');
    // the third miss: no input within the menu timeout
    const row = await (async () => {
      await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length, { timeout: 8000 }).toBe(1);
      call.hangup();
      return t.closedCall(call.channelId);
    })();
    const kinds = (await t.events(row.id)).map((e) => e.kind);
    expect(kinds).toEqual(['arrived', 'menu_invalid', 'menu_invalid', 'menu_no_input', 'menu_fallback', 'queued', 'hangup']);
    expect(row).toMatchObject({ outcome: 'abandoned_in_queue', skill: 'general' });
  });
});
