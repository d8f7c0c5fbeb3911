import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startAriSim, type AriEvent, type AriSim } from '../index.ts';

let sim: AriSim | undefined;
let socket: WebSocket | undefined;

afterEach(async () => {
  socket?.terminate();
  await sim?.stop();
  sim = undefined;
});

async function ari(s: AriSim, method: string, path: string, query: Record<string, string> = {}) {
  const url = new URL(`/ari${path}`, s.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await fetch(url, { method, headers: { authorization: `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}` } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

// What the traces do not show (the recorded runs hang the snoop up themselves): refusals, and a snoop whose channel goes.
describe('snoop channels beyond the traces', () => {
  it('refuses a snoop with no direction, a bad direction, no app or an unknown channel', async () => {
    sim = await startAriSim();
    socket = new WebSocket(sim.wsUrl());
    await new Promise((resolve) => socket!.once('open', resolve));
    const call = await sim.placeCall();
    const id = call.channelId!;
    expect(await ari(sim, 'POST', `/channels/${id}/snoop`, { app: sim.app })).toEqual({ status: 400, body: { message: 'Direction must be specified for at least spy or whisper' } });
    expect((await ari(sim, 'POST', `/channels/${id}/snoop`, { spy: 'sideways', app: sim.app })).status).toBe(400);
    expect(await ari(sim, 'POST', `/channels/${id}/snoop`, { spy: 'both' })).toEqual({ status: 400, body: { message: 'Application name is required' } });
    expect((await ari(sim, 'POST', '/channels/1.999/snoop', { spy: 'both', app: sim.app })).status).toBe(404);
    expect(sim.channels()).toHaveLength(1);
  });

  it('ends a snoop channel (StasisEnd, no ChannelDestroyed) when the channel it snoops on hangs up', async () => {
    sim = await startAriSim();
    const events: AriEvent[] = [];
    socket = new WebSocket(sim.wsUrl());
    socket.on('message', (data) => events.push(JSON.parse(data.toString()) as AriEvent));
    await new Promise((resolve) => socket!.once('open', resolve));
    const call = await sim.placeCall();
    await ari(sim, 'POST', `/channels/${call.channelId}/answer`);
    const snoop = await ari(sim, 'POST', `/channels/${call.channelId}/snoop/sn-1`, { spy: 'both', app: sim.app, appArgs: 'snoop' });
    expect(snoop.status).toBe(200);
    expect(snoop.body).toMatchObject({ id: 'sn-1', name: `Snoop/${call.channelId}-00000000`, state: 'Up', protocol_id: '' });
    expect((await ari(sim, 'POST', `/channels/${call.channelId}/snoop/sn-1`, { spy: 'both', app: sim.app })).status).toBe(409);
    call.hangup();
    await sim.waitFor('StasisEnd', (e) => (e.channel as { id: string } | undefined)?.id === 'sn-1', { includePast: true });
    const ofSnoop = sim.events().filter((e) => (e.event.channel as { id: string } | undefined)?.id === 'sn-1').map((e) => e.event.type);
    expect(ofSnoop).toEqual(['StasisStart', 'ChannelHangupRequest', 'StasisEnd']);
    expect(sim.channels()).toHaveLength(0);
  });
});
