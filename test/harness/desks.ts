import { afterAll, afterEach, expect } from 'vitest';
import { ConsoleSocket } from '../../api/testing/console-socket.ts';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import type { OverSim } from '../../telephony/test/over-sim.ts';

/**
 * Operators at their consoles over the stand-in (a hotline with the api and telephony roles): `operatorOnCall`
 * puts a new operator ready, places a caller who chooses the operator, and returns once they are talking.
 * After each test every such operator logs out, so callers reach only the one a test means.
 */
export function useDesks(t: OverSim, endpointPrefix: string) {
  let seq = 0;
  const desks: Array<{ cookie: string }> = [];
  const sockets: ConsoleSocket[] = [];
  afterEach(async () => {
    for (const desk of desks.splice(0)) await call(t.url, 'PUT', '/api/presence/me', { cookie: desk.cookie, body: { state: 'logged_out' } });
  });
  afterAll(() => sockets.forEach((s) => s.close()));

  async function operatorOnCall(from: string) {
    const endpoint = `${endpointPrefix}${String(++seq).padStart(2, '0')}`;
    const operatorId = await t.addOperator(endpoint, { ready: false });
    t.sim.endpoint(endpoint).answerAfter(30);
    const cookie = await sessionCookieFor(t.hotline.deps.db, operatorId);
    desks.push({ cookie });
    const socket = await ConsoleSocket.open(t.url, cookie);
    sockets.push(socket);
    await socket.next((m) => m.type === 'hello');
    await call(t.url, 'PUT', '/api/presence/me', { cookie, body: { state: 'ready' } });
    const caller = await t.sim.placeCall({ from });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('0');
    const pop = await socket.next((m) => m.type === 'call.screen_pop', 15_000);
    const callId = pop.data.callId as string;
    await expect.poll(async () => (await t.events(callId)).map((e) => e.kind)).toContain('answered');
    return { operatorId, endpoint, cookie, socket, caller, callId, draftTicketId: pop.data.draftTicketId as string };
  }

  return { operatorOnCall };
}
