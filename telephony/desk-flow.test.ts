import { afterAll, describe, expect, it } from 'vitest';
import { ConsoleSocket } from '../api/testing/console-socket.ts';
import { call, sessionCookieFor } from '../api/testing/fixtures.ts';
import { useTelephonyOverSim } from './test/over-sim.ts';

// One process with the api and telephony roles over the ARI stand-in: what an operator's console sees.
const t = await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony', TELEPHONY_MAX_WAIT_SECONDS: '2' } });
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

async function operatorConsole(endpoint: string) {
  const operatorId = await t.addOperator(endpoint, { ready: false });
  const cookie = await sessionCookieFor(t.hotline.deps.db, operatorId);
  const socket = await ConsoleSocket.open(t.url, cookie);
  sockets.push(socket);
  await socket.next((m) => m.type === 'hello');
  return { operatorId, cookie, socket };
}

describe("an operator's desk over the ARI stand-in", () => {
  it('goes ready over HTTP, answers a queued caller, and gets the screen pop with a draft ticket it owns', async () => {
    const desk = await operatorConsole('op7001');
    t.sim.endpoint('op7001').answerAfter(100);
    const ready = await call(t.url, 'PUT', '/api/presence/me', { cookie: desk.cookie, body: { state: 'ready' } });
    expect(ready).toMatchObject({ status: 200, body: { state: 'ready' } });
    await desk.socket.next((m) => m.type === 'presence.changed' && m.data.operatorId === desk.operatorId && m.data.state === 'ready');

    const caller = await t.sim.placeCall({ from: '13811112222' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('0');

    const offered = await desk.socket.next((m) => m.type === 'call.offered', 8000);
    expect(offered.data.callerNumberMasked).toBe('138****2222');
    const pop = await desk.socket.next((m) => m.type === 'call.screen_pop', 8000);
    expect(pop.data).toMatchObject({ operatorId: desk.operatorId, callerNumber: '13811112222', history: [] });
    expect(pop.data.draftTicketId).toEqual(expect.any(String));
    expect((await call(t.url, 'GET', '/api/presence/me', { cookie: desk.cookie })).body.state).toBe('on_call');

    const ticket = await call(t.url, 'GET', `/api/tickets/${pop.data.draftTicketId}`, { cookie: desk.cookie });
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({ stage: 'answer', ownerId: desk.operatorId, callerNumber: '13811112222', callIds: [pop.data.callId] });

    caller.hangup();
    const row = await t.closedCall(caller.channelId);
    expect(row).toMatchObject({ id: pop.data.callId, outcome: 'answered', answered_by: desk.operatorId });
    await desk.socket.next((m) => m.type === 'call.ended' && m.data.callId === row.id);
    const history = await call(t.url, 'GET', '/api/telephony/callers/13811112222/history', { cookie: desk.cookie });
    expect(history.body.calls.map((c: { callId: string }) => c.callId)).toEqual([row.id]);
    expect(history.body.tickets).toEqual([expect.objectContaining({ id: pop.data.draftTicketId, callerNumber: '138****2222' })]);
    await call(t.url, 'PUT', '/api/presence/me', { cookie: desk.cookie, body: { state: 'logged_out' } });
  });

  it('a caller no one takes who asks to be called back becomes an unowned ticket waiting in the answer stage', async () => {
    const caller = await t.sim.placeCall({ from: '13933334444' });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('2');
    await t.sim.waitFor('PlaybackStarted', (e: any) => e.playback?.media_uri?.includes('offer-callback'), { timeoutMs: 8000 });
    await caller.pressDigits('1');
    const row = await t.closedCall(caller.channelId);
    expect(row.outcome).toBe('callback_requested');
    await expect
      .poll(async () => (await t.pgc.query(`select t.stage, t.owner_id, t.caller_number, t.summary from tickets.tickets t join tickets.ticket_calls c on c.ticket_id = t.id where c.call_id = $1`, [row.id])).rows, { timeout: 5000 })
      .toEqual([{ stage: 'answer', owner_id: null, caller_number: '13933334444', summary: '等待超时请求回电，待回电登记' }]);
  });
});
