import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../test/harness/redis.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// Calls in hand with no court when the controller stops; the court is created meanwhile. The next controller
// gives a waiting call the court of its number (so an operator of that court serves it), while a call already told
// the number is not in service stays with none: its court's figures never get a call it did not have.
const t = await useTelephonyOverSim({ courtLater: true, promptMs: 60_000 });
const prefix = t.hotline.deps.config.redis.prefix;

const up = (channelId: string | null) => t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === channelId && e.channel.state === 'Up', { includePast: true, timeoutMs: 5000 });

describe('calls taken over without a court', () => {
  it('a waiting one gets its number’s court and is served; one told the number is not in service keeps none', async () => {
    const waiting = await t.sim.placeCall({ from: '13900000011' });
    const told = await t.sim.placeCall({ from: '13900000012' });
    await up(waiting.channelId);
    await up(told.channelId);
    await t.rt.journal.caughtUp();
    const [waitingRow] = await t.callRows(waiting.channelId);
    expect(waitingRow).toMatchObject({ court_id: null, outcome: null });

    await t.stopHotline();
    // As a controller before courts were known at once left it: in the menu with no court (not told anything).
    const redis = new Redis(testRedisUrl);
    try {
      const key = `${prefix}:tel:live-calls`;
      const saved = JSON.parse((await redis.hget(key, waitingRow!.id))!);
      saved.state = { ...saved.state, phase: 'menu', closingOutcome: undefined, playbackId: undefined };
      await redis.hset(key, waitingRow!.id, JSON.stringify(saved));
    } finally {
      redis.disconnect();
    }
    await t.createCourt();
    await t.startHotline();
    const operatorId = await t.addOperator('op7101');
    t.sim.endpoint('op7101').answerAfter(20);
    await expect.poll(() => t.sim.bridges().some((b) => b.channels.includes(waiting.channelId!) && b.channels.length === 2), { timeout: 10_000 }).toBe(true);

    await waiting.hangup();
    await told.hangup();
    expect(await t.closedCall(waiting.channelId)).toMatchObject({ court_id: t.courtId, outcome: 'answered', answered_by: operatorId });
    expect(await t.closedCall(told.channelId)).toMatchObject({ court_id: null, outcome: 'failed', hangup_by: 'system' });
  });
});
