import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim, type OverSim } from '../../telephony/test/over-sim.ts';
import { sentinelAvailable, until, useSentinelSet } from '../harness/sentinel.ts';

/**
 * Live calls and the ACD over the ARI stand-in with Redis behind Sentinel: a SENTINEL FAILOVER while one caller is
 * bridged with an operator and another waits in the queue. The bridged call goes on, the waiting caller is served by
 * an operator who becomes ready after the fail-over, and each call closes once with its whole record.
 */
const available = sentinelAvailable();
if (!available) console.warn('test/redis/sentinel-telephony.test.ts skipped: redis-server is not installed (sentinels run as redis-server --sentinel)');

describe.skipIf(!available)('telephony on Redis Sentinel', () => {
  it('a bridged call and a queued caller live through a fail-over; the queue still serves', { timeout: 90_000 }, async () => {
    const set = await useSentinelSet('hotline-tel');
    const t: OverSim = await useTelephonyOverSim({ env: { REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_MASTER: set.master, TELEPHONY_MAX_WAIT_SECONDS: '120' } });
    const queuedCall = async (from: string) => {
      const call = await t.sim.placeCall({ from });
      await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === call.channelId && e.channel.state === 'Up', { includePast: true });
      await call.pressDigits('0');
      return call;
    };

    const first = await t.addOperator('op7001');
    t.sim.endpoint('op7001').answerAfter(50);
    const bridged = await queuedCall('13800000071');
    await expect.poll(() => t.sim.bridges().length, { timeout: 8000 }).toBe(1);

    const second = await t.addOperator('op7002', { ready: false });
    t.sim.endpoint('op7002').answerAfter(50);
    const waiting = await queuedCall('13800000072');
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length, { timeout: 8000 }).toBe(1);

    const before = await set.masterPort();
    expect(await set.sentinel(0).call('SENTINEL', 'FAILOVER', set.master)).toBe('OK');
    await until(async () => (await set.masterPort()) !== before, 15_000, 'the sentinels to name the replica master');

    // What the hotline says it waits for (/readyz's check) clears once its connections are on the new master and that
    // master has a replica in sync again (the old master, turned replica by the sentinels some seconds later).
    await until(async () => (await t.hotline.deps.readiness.report()).checks.redis?.ok === true, 45_000, 'the redis check');
    // The live state followed the master: the waiting caller is still in the queue, and the bridged call is still on.
    expect((await t.rt.service.queueSnapshot(t.courtId)).waiting.length).toBe(1);
    expect(t.sim.bridges()).toHaveLength(1);
    await t.rt.service.setPresence(second, 'ready');
    await expect.poll(() => t.sim.bridges().length, { timeout: 10_000 }).toBe(2);

    bridged.hangup();
    waiting.hangup();
    const rows = [await t.closedCall(bridged.channelId), await t.closedCall(waiting.channelId)];
    expect(rows.map((r) => [r.outcome, r.answered_by])).toEqual([
      ['answered', first],
      ['answered', second],
    ]);
    for (const row of rows) {
      expect((await t.callRows(row.id === rows[0]!.id ? bridged.channelId : waiting.channelId)).length).toBe(1);
      const kinds = (await t.events(row.id)).map((e) => e.kind);
      expect(kinds.slice(0, 3)).toEqual(['arrived', 'menu_choice', 'queued']);
      expect(kinds).toContain('answered');
      expect(kinds.filter((k) => k === 'hangup')).toHaveLength(1);
    }
  });
});
