import { describe, expect, it } from 'vitest';
import { callerOnHold } from '../test/caller-on-hold.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// Events lost while REST still answers is a dead event link beside live HTTP: REST over the websocket would share the
// socket's fate (a frozen socket fails its commands too: ari/socket-rest.test.ts), so this file pins HTTP.
const t = await useTelephonyOverSim({ env: { TELEPHONY_RING_SECONDS: '1', TELEPHONY_MAX_WAIT_SECONDS: '30', TELEPHONY_POSITION_EVERY_SECONDS: '1', ARI_REST_OVER_WEBSOCKET: 'false' }, promptMs: 40 });

describe('a caller whose hangup event is lost', () => {
  it('is closed when a command on their channel finds it gone, without waiting for a reconnect', async () => {
    const call = await callerOnHold(t, '13900001999');
    let connects = 0;
    t.rt.ari.onConnected(() => connects++);
    // A dead link: events are lost until the ping (every 5 s) notices; the position announcement (every 1 s) comes first.
    expect(t.sim.freezeWebsocket()).toBe(1);
    call.hangup();
    expect(await t.closedCall(call.channelId, 4000)).toMatchObject({ outcome: 'abandoned_in_queue', hangup_by: 'caller', skill: 'enquiry' });
    expect(connects).toBe(0);
    expect(t.rt.controller.activeCalls).toBe(0);
    expect((await t.rt.service.queueSnapshot(t.courtId)).waiting).toEqual([]);
  });
});
