import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// The README's order: the hotline starts before any court exists; the court is created afterwards. The court
// (and a hotline number) must serve the next call at once: the controller is told, it does not poll.
const t = await useTelephonyOverSim({ courtLater: true });

const up = (channelId: string | null) => t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true, timeoutMs: 5000 });
const bridged = (channelId: string | null) => t.sim.bridges().some((b) => b.channels.includes(channelId!) && b.channels.length === 2);

describe('the court of a call', () => {
  it('is known as soon as the court is created after the hotline started, and serves its first call', async () => {
    expect(t.rt.directory.courtIds).toEqual([]);
    await t.createCourt();
    // Well inside any poll: the table's trigger notifies the controller.
    await expect.poll(() => t.rt.directory.courtIds, { timeout: 2000, interval: 10 }).toEqual([t.courtId]);
    const operatorId = await t.addOperator('op7001');
    t.sim.endpoint('op7001').answerAfter(20);

    const caller = await t.sim.placeCall({ from: '13900000001' });
    await up(caller.channelId);
    await caller.pressDigits('0');
    await expect.poll(() => bridged(caller.channelId), { timeout: 5000 }).toBe(true);
    await caller.hangup();
    expect(await t.closedCall(caller.channelId)).toMatchObject({ court_id: t.courtId, outcome: 'answered', answered_by: operatorId });
  });

  it('follows the dialled number to its court when several courts share the hotline, and tells an unmapped number it is not in service', async () => {
    const other = randomUUID();
    await t.pgc.query(`insert into platform.courts (id, code, name) values ($1, 'T02', '第二法院')`, [other]);
    await t.pgc.query(`insert into telephony.hotline_numbers (number, court_id) values ('95368', $1)`, [other]);
    await expect.poll(() => t.rt.directory.courtFor({ dialled: '95368' }), { timeout: 2000, interval: 10 }).toBe(other);

    const mapped = await t.sim.placeCall({ from: '13900000002', to: '95368' });
    await up(mapped.channelId);
    await mapped.hangup();
    expect(await t.closedCall(mapped.channelId)).toMatchObject({ court_id: other, dialled: '95368' });

    // Two courts now, and 12368 maps to neither: no queue could serve it.
    const unmapped = await t.sim.placeCall({ from: '13900000003' });
    await up(unmapped.channelId);
    await unmapped.pressDigits('0');
    const row = await t.closedCall(unmapped.channelId);
    expect(row).toMatchObject({ court_id: null, outcome: 'failed', hangup_by: 'system', skill: null });
    expect((await t.events(row.id)).map((e) => [e.kind, e.data?.reason ?? null])).toEqual(
      expect.arrayContaining([
        ['failed', 'no_court'],
        ['hangup', null],
      ]),
    );
    expect(await t.rt.service.queueSnapshot(null)).toMatchObject({ waiting: [] });

    // Mapping the number puts the next call through to its court.
    await t.pgc.query(`insert into telephony.hotline_numbers (number, court_id) values ('12368', $1)`, [t.courtId]);
    await expect.poll(() => t.rt.directory.courtFor({ dialled: '12368' }), { timeout: 2000, interval: 10 }).toBe(t.courtId);
    const next = await t.sim.placeCall({ from: '13900000004' });
    await up(next.channelId);
    await next.pressDigits('0');
    await expect.poll(() => bridged(next.channelId), { timeout: 5000 }).toBe(true);
    await next.hangup();
    expect(await t.closedCall(next.channelId)).toMatchObject({ court_id: t.courtId, outcome: 'answered' });
  });
});
