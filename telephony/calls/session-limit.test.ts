import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// Asterisk serves at most http.conf's sessionlimit connections and closes any past it. The stand-in does the
// same here (12, the event websocket included); the controller may open 6 REST connections at once.
const sessionLimit = 12;
const t = await useTelephonyOverSim({
  sim: { sessionLimit },
  env: { ARI_MAX_CONNECTIONS: process.env.TEST_ARI_MAX_CONNECTIONS ?? '6', TELEPHONY_MENU_TIMEOUT_SECONDS: '30', TELEPHONY_MAX_WAIT_SECONDS: '60' },
});

describe('a burst of calls against Asterisk’s HTTP session limit', () => {
  it('answers and queues 60 callers arriving at once, with no request lost to a refused connection', async () => {
    const calls = await Promise.all(Array.from({ length: 60 }, (_, i) => t.sim.placeCall({ from: `1390000${String(i).padStart(4, '0')}` })));
    const up = (id: string | null) => t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === id && e.channel.state === 'Up', { includePast: true, timeoutMs: 4000 });
    // Each answer must arrive well within ARI_COMMAND_TIMEOUT_MS (5 s): a request on a refused connection
    // never settles and would only fail at that bound.
    await Promise.all(calls.map((c) => up(c.channelId)));
    await Promise.all(calls.map((c) => c.pressDigits('0', { durationMs: 1 })));
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length, { timeout: 4000 }).toBe(60);

    await Promise.all(calls.map((c) => c.hangup()));
    await expect.poll(() => t.rt.controller.activeCalls, { timeout: 5000 }).toBe(0);
    // The controller is done with every call; its records reach PostgreSQL a linger later, and this says when.
    await t.rt.journal.caughtUp(10_000);
    const { rows } = await t.pgc.query(`select outcome, count(*)::int as n from telephony.calls where court_id = $1 group by outcome`, [t.courtId]);
    expect(rows).toEqual([{ outcome: 'abandoned_in_queue', n: 60 }]);
  });
});
