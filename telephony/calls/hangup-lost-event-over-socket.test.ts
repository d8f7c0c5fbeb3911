import { describe, expect, it } from 'vitest';
import { callerOnHold } from '../test/caller-on-hold.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// The default path (REST over the event websocket): a frozen socket loses the hangup event and fails the commands
// too (ari/socket-rest.test.ts), so no command finds the channel gone; the ping closes the socket and the reconcile
// after the reconnect closes the call. hangup-lost-event.test.ts has the same caller with REST pinned to HTTP.
const t = await useTelephonyOverSim({ env: { TELEPHONY_RING_SECONDS: '1', TELEPHONY_MAX_WAIT_SECONDS: '60', TELEPHONY_POSITION_EVERY_SECONDS: '1' }, promptMs: 40 });

/** The adapter's ping interval (ari/event-socket.ts, 5 s by default; not set by the hotline's config). */
const pingMs = 5000;
/**
 * From the hangup to the closed row: the ping closes a socket that did not answer the one before within two
 * intervals; the reconnect (backoff ≤ 250 ms, the ARI description loaded again) and the reconcile take about a
 * second (6.7–6.9 s in all, measured), given 15 s here for a loaded machine: the bound only has to tell this path
 * from the other way the call would close, the queue's 60 s maximum wait.
 */
const boundMs = 2 * pingMs + 15_000;

describe('a caller whose hangup event is lost on the event websocket that also carries REST', () => {
  it(`is closed by the reconcile after the ping finds the socket dead, within ${boundMs / 1000} s of the hangup`, { timeout: 90_000 }, async () => {
    await expect.poll(() => t.rt.ari.restTransport).toBe('websocket');
    const call = await callerOnHold(t, '13900001998');
    let connects = 0;
    t.rt.ari.onConnected(() => connects++);
    expect(t.rt.ari.restTransport).toBe('websocket');
    expect(t.sim.freezeWebsocket()).toBe(1);
    call.hangup();
    const hungUpAt = Date.now();
    // Polled far past the bound so that a slow run fails on the bound below, not on a poll timeout.
    expect(await t.closedCall(call.channelId, 3 * boundMs)).toMatchObject({ outcome: 'abandoned_in_queue', hangup_by: 'caller', skill: 'enquiry' });
    const closedMs = Date.now() - hungUpAt;
    expect(closedMs).toBeLessThanOrEqual(boundMs);
    expect(await t.callRows(call.channelId)).toHaveLength(1);
    expect(connects).toBeGreaterThanOrEqual(1);
    expect(t.rt.controller.activeCalls).toBe(0);
    expect((await t.rt.service.queueSnapshot(t.courtId)).waiting).toEqual([]);
    // The new socket carries REST again.
    await expect.poll(() => t.rt.ari.restTransport).toBe('websocket');
  });
});
