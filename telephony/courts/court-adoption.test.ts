import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// A call that came in while no court served its number, still in hand when the controller stops; the court is
// created meanwhile. The next controller takes the call over with the court of its number, and the row says so.
const t = await useTelephonyOverSim({ courtLater: true, promptMs: 60_000 });

describe('a call taken over without a court', () => {
  it('gets the court of its number on adoption, and its row is closed under that court', async () => {
    const caller = await t.sim.placeCall({ from: '13900000011' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true, timeoutMs: 5000 });
    await t.rt.journal.caughtUp();
    expect(await t.callRows(caller.channelId)).toMatchObject([{ court_id: null, outcome: null }]);

    await t.stopHotline();
    await t.createCourt();
    await t.startHotline();
    // Taken over in its closing prompt: it ends there, by the system, now recorded under the court.
    await caller.hangup();
    expect(await t.closedCall(caller.channelId)).toMatchObject({ court_id: t.courtId, outcome: 'failed' });
    const row = (await t.callRows(caller.channelId))[0]!;
    const events = await t.pgc.query(`select kind, court_id from telephony.call_events where call_id = $1 order by seq`, [row.id]);
    expect(events.rows.at(-1)).toMatchObject({ kind: 'hangup', court_id: t.courtId });
  });
});
