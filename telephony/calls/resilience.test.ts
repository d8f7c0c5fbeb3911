import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

const t = await useTelephonyOverSim({ proxyDatabase: true });

const beijingToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('after hours and database outages over the stand-in', () => {
  it('after hours the caller hears the notice and leaves a message, closed as message_left', async () => {
    await t.pgc.query(`insert into tickets.business_hours (court_id, weekday, opens, closes) values ($1, 1, '08:30', '17:30')`, [t.courtId]);
    await t.pgc.query(`insert into tickets.court_calendar_days (court_id, day, kind, name, source) values ($1, $2, 'holiday', '测试假日', 'test')`, [t.courtId, beijingToday()]);
    await t.rt.calendar.reload();
    const call = await t.sim.placeCall({ from: '13800000030' });
    await t.sim.waitFor('RecordingStarted', () => true, { timeoutMs: 5000 });
    await call.pressDigits('#');
    const row = await t.closedCall(call.channelId);
    expect(row).toMatchObject({ outcome: 'message_left', in_hours: false, skill: null });
    expect((await t.events(row.id)).map((e) => e.kind)).toEqual(['arrived', 'after_hours', 'recording_started', 'message_left', 'hangup']);

    const early = await t.sim.placeCall({ from: '13800000031' });
    await t.sim.waitFor('PlaybackStarted', (e: any) => e.playback?.target_uri === `channel:${early.channelId}`);
    early.hangup();
    expect(await t.closedCall(early.channelId)).toMatchObject({ outcome: 'after_hours', hangup_by: 'caller' });
    await t.pgc.query(`delete from tickets.court_calendar_days where court_id = $1`, [t.courtId]);
    await t.pgc.query(`delete from tickets.business_hours where court_id = $1`, [t.courtId]);
    await t.rt.calendar.reload();
  });

  it('keeps routing calls while PostgreSQL is cut and writes every row and event exactly once when it returns', async () => {
    await t.dbProxy!.cut();
    const quick = await t.sim.placeCall({ from: '13800000032' });
    quick.hangup();
    const queued = await t.sim.placeCall({ from: '13800000033' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === queued.channelId && e.channel.state === 'Up', { includePast: true });
    await queued.pressDigits('2');
    await t.sim.waitFor('PlaybackStarted', (e: any) => e.playback?.target_uri === `channel:${queued.channelId}` && e.playback.media_uri.includes('position'));
    queued.hangup();
    await expect.poll(() => t.rt.controller.activeCalls).toBe(0);
    expect(await t.callRows(quick.channelId)).toEqual([]);
    expect(t.rt.journal.backlog.spoolBytes + t.rt.journal.backlog.memory).toBeGreaterThan(0);

    await t.dbProxy!.restore();
    expect(await t.closedCall(quick.channelId, 15_000)).toMatchObject({ outcome: 'abandoned_in_menu' });
    const row = await t.closedCall(queued.channelId, 15_000);
    expect(row).toMatchObject({ outcome: 'abandoned_in_queue', skill: 'enquiry' });
    expect((await t.events(row.id)).map((e) => e.kind)).toEqual(['arrived', 'menu_choice', 'queued', 'hangup']);
    expect(await t.callRows(queued.channelId)).toHaveLength(1);
  });
});
