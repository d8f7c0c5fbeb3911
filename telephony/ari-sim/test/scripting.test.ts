import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startAriSim, type AriEvent, type AriSim } from '../index.ts';

let sim: AriSim | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await sim?.stop();
  sim = undefined;
});

async function connect(s: AriSim): Promise<{ socket: WebSocket; events: AriEvent[] }> {
  const socket = new WebSocket(s.wsUrl());
  sockets.push(socket);
  const events: AriEvent[] = [];
  socket.on('message', (data) => events.push(JSON.parse(data.toString()) as AriEvent));
  await new Promise<void>((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, events };
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function ari(s: AriSim, method: string, path: string, query: Record<string, string> = {}, body?: unknown) {
  const url = new URL(`/ari${path}`, s.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await fetch(url, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe('scripting API', () => {
  it('declines calls while no websocket is connected, and uses up a channel name for them', async () => {
    sim = await startAriSim();
    const declined = await sim.placeCall();
    expect(declined.accepted).toBe(false);
    expect(declined.channelId).toBeNull();
    expect(declined.name).toBe('PJSIP/trunk-00000000');
    await connect(sim);
    const call = await sim.placeCall();
    expect(call.accepted).toBe(true);
    expect(call.name).toBe('PJSIP/trunk-00000001');
    expect(call.channelId).toMatch(/^\d+\.1$/);
    expect(call.state).toBe('Ring');
  });

  it('refuses DTMF before answer and reports digits after it', async () => {
    sim = await startAriSim({ dtmfDurationMs: 120 });
    const { events } = await connect(sim);
    const call = await sim.placeCall();
    await expect(call.pressDigits('1')).rejects.toThrow(/answered/);
    await expect(call.pressDigits('x')).rejects.toThrow(/invalid DTMF/);
    expect((await ari(sim, 'POST', `/channels/${call.channelId}/answer`)).status).toBe(204);
    await call.pressDigits('12#', { gapMs: 5 });
    await until(() => events.some((e) => e.digit === '#'));
    expect(events.filter((e) => e.type === 'ChannelDtmfReceived').map((e) => [e.digit, e.duration_ms])).toEqual([
      ['1', 120],
      ['2', 120],
      ['#', 120],
    ]);
  });

  it('lets an endpoint reject, and an unregistered softphone cannot be dialled', async () => {
    sim = await startAriSim();
    await connect(sim);
    const refused = await ari(sim, 'POST', '/channels', { endpoint: 'PJSIP/op1001', app: sim.app });
    expect(refused).toEqual({ status: 500, body: { error: 'Allocation failed' } });
    sim.endpoint('op1001').register().reject();
    const destroyed = sim.waitFor('ChannelDestroyed');
    const created = await ari(sim, 'POST', '/channels', { endpoint: 'PJSIP/op1001', app: sim.app });
    expect(created.status).toBe(200);
    const event = await destroyed;
    expect([event.cause, event.tech_cause, event.cause_txt]).toEqual([21, 603, 'Call Rejected']);
    sim.endpoint('op1001').unregister();
    expect(sim.endpoint('op1001').online).toBe(false);
  });

  it('dropWebsocket deactivates the app without touching calls; restartAsterisk loses everything', async () => {
    sim = await startAriSim();
    const first = await connect(sim);
    const call = await sim.placeCall();
    const closed = new Promise<number>((resolve) => first.socket.once('close', resolve));
    expect(sim.dropWebsocket()).toBe(1);
    expect(await closed).toBe(1006);
    expect(sim.isConnected()).toBe(false);
    expect(sim.channels().map((c) => c.id)).toEqual([call.channelId]);
    expect((await ari(sim, 'GET', `/applications/${sim.app}`)).body.channel_ids).toEqual([call.channelId]);

    const port = new URL(sim.url).port;
    await sim.stopAsterisk();
    await expect(fetch(`${sim.url}/ari/asterisk/ping`)).rejects.toThrow();
    await sim.startAsterisk();
    expect(new URL(sim.url).port).toBe(port);
    expect(sim.channels()).toEqual([]);
    expect(call.state).toBe('gone');
    expect((await ari(sim, 'GET', `/applications/${sim.app}`)).status).toBe(404);
    await sim.restartAsterisk({ downMs: 10 });
    expect((await ari(sim, 'GET', '/asterisk/ping')).body.ping).toBe('pong');
  });

  it('caller hold and unhold give ChannelHold and ChannelUnhold; /ring, /moh and /hold are only visible to the script', async () => {
    sim = await startAriSim();
    const { events } = await connect(sim);
    const call = await sim.placeCall();
    await ari(sim, 'POST', `/channels/${call.channelId}/ring`);
    expect(call.treatment.ringing).toBe(true);
    await ari(sim, 'POST', `/channels/${call.channelId}/answer`);
    await ari(sim, 'POST', `/channels/${call.channelId}/moh`, { mohClass: 'default' });
    expect(call.treatment).toEqual({ ringing: false, moh: 'default', onHold: false });
    call.hold();
    call.unhold();
    await until(() => events.some((e) => e.type === 'ChannelUnhold'));
    expect(events.map((e) => e.type)).toEqual(['StasisStart', 'ChannelStateChange', 'ChannelHold', 'ChannelUnhold']);
  });

  it('rejects bad requests with ARI error bodies and changes nothing', async () => {
    sim = await startAriSim();
    await connect(sim);
    const call = await sim.placeCall();
    expect(await ari(sim, 'POST', '/channels/create', { app: sim.app })).toEqual({ status: 400, body: { message: 'Endpoint must be specified' } });
    expect(await ari(sim, 'POST', '/channels', { endpoint: 'PJSIP/judge1' })).toEqual({
      status: 400,
      body: { message: 'Application or extension must be specified' },
    });
    expect(await ari(sim, 'POST', `/channels/${call.channelId}/record`, { format: 'wav' })).toEqual({ status: 400, body: { message: 'Recording name is required' } });
    expect((await ari(sim, 'DELETE', `/channels/${call.channelId}`, { reason: 'nonsense' })).status).toBe(400);
    expect(sim.channels().map((c) => c.id)).toEqual([call.channelId]);
  });
});

// Both seen on Asterisk 22.10.1 with the hotline's configuration (test/asterisk/transfers.test.ts, and the
// applications probe described in docs/telephony.md).
describe('behaviour checked against a real Asterisk 22 beyond the traces', () => {
  it('an app hanging up its originated leg while it rings: ChannelHangupRequest {32, soft}, Dial NOANSWER, ChannelDestroyed 16', async () => {
    sim = await startAriSim();
    const { events } = await connect(sim);
    sim.endpoint('judge2').noAnswer();
    const leg = await ari(sim, 'POST', '/channels', { endpoint: 'PJSIP/judge2', app: sim.app, appArgs: 'transfer', timeout: '30' });
    const id = leg.body.id as string;
    const mine = () => events.filter((e: any) => (e.channel ?? e.peer)?.id === id);
    await until(() => mine().some((e: any) => e.type === 'Dial' && e.dialstatus === 'RINGING'));
    expect((await ari(sim, 'DELETE', `/channels/${id}`)).status).toBe(204);
    await until(() => mine().some((e) => e.type === 'ChannelDestroyed'));
    const end = mine().slice(mine().findIndex((e) => e.type === 'ChannelHangupRequest'));
    expect(end.map((e: any) => [e.type, e.cause ?? e.dialstatus ?? null])).toEqual([
      ['ChannelHangupRequest', 32],
      ['Dial', 'NOANSWER'],
      ['ChannelDestroyed', 16],
    ]);
    expect(end[0]).toMatchObject({ soft: true });
    expect(mine().some((e) => e.type === 'StasisStart')).toBe(false);
  });

  it('the far end of an answered originated leg hangs up: ChannelHangupRequest without a cause, ChannelDestroyed 16', async () => {
    sim = await startAriSim();
    const { events } = await connect(sim);
    sim.endpoint('judge1').answerAfter(10);
    const leg = await ari(sim, 'POST', '/channels', { endpoint: 'PJSIP/judge1', app: sim.app, appArgs: 'transfer' });
    const id = leg.body.id as string;
    await until(() => events.some((e: any) => e.type === 'StasisStart' && e.channel.id === id));
    expect(events.find((e: any) => e.type === 'StasisStart' && e.channel.id === id)).toMatchObject({ args: ['transfer'] });
    sim.endpoint('judge1').hangup();
    await until(() => events.some((e: any) => e.type === 'ChannelDestroyed' && e.channel.id === id));
    const request = events.find((e: any) => e.type === 'ChannelHangupRequest' && e.channel.id === id)!;
    expect(request).not.toHaveProperty('cause');
    expect(events.find((e: any) => e.type === 'ChannelDestroyed' && e.channel.id === id)).toMatchObject({ cause: 16, cause_txt: 'Normal Clearing' });
  });

  it('GET /applications lists an app whose websocket went only while it still holds channels', async () => {
    sim = await startAriSim();
    const first = await connect(sim);
    expect((await ari(sim, 'GET', '/applications')).body.map((a: any) => a.name)).toEqual([sim.app]);
    first.socket.terminate();
    await until(() => !sim!.isConnected());
    await until(() => sim!.asterisk.apps.size === 0);
    expect((await ari(sim, 'GET', '/applications')).body).toEqual([]);
    expect(await ari(sim, 'GET', `/applications/${sim.app}`)).toEqual({ status: 404, body: { message: 'Application not found' } });

    const second = await connect(sim);
    const call = await sim.placeCall();
    second.socket.terminate();
    await until(() => !sim!.isConnected());
    expect((await ari(sim, 'GET', `/applications/${sim.app}`)).body).toMatchObject({ name: sim.app, channel_ids: [call.channelId] });
    call.hangup();
    expect((await ari(sim, 'GET', `/applications/${sim.app}`)).status).toBe(404);
  });
});

describe('media ended by a hangup', () => {
  it('a caller who hangs up while recording a message leaves a stored recording', async () => {
    sim = await startAriSim({ sounds: { beep: 10 } });
    const { events } = await connect(sim);
    const call = await sim.placeCall();
    await ari(sim, 'POST', `/channels/${call.channelId}/answer`);
    const recorded = await ari(sim, 'POST', `/channels/${call.channelId}/record`, { name: 'msg-1', format: 'wav', terminateOn: '#', maxDurationSeconds: '60' });
    expect(recorded).toEqual({ status: 201, body: { name: 'msg-1', format: 'wav', state: 'queued', target_uri: `channel:${call.channelId}` } });
    expect((await ari(sim, 'GET', '/recordings/live/msg-1')).body.state).toBe('recording');
    call.hangup();
    await until(() => events.some((e) => e.type === 'StasisEnd'));
    const types = events.map((e) => e.type).filter((t) => t !== 'ChannelVarset');
    expect(types).toEqual(['StasisStart', 'ChannelStateChange', 'RecordingStarted', 'ChannelHangupRequest', 'RecordingFinished', 'StasisEnd']);
    expect((await ari(sim, 'GET', '/recordings/stored/msg-1')).body).toEqual({ name: 'msg-1', format: 'wav' });
    expect((await ari(sim, 'GET', '/recordings/live/msg-1')).status).toBe(404);
  });

  it('# ends a recording with terminateOn=#, and queued playbacks play one after another', async () => {
    sim = await startAriSim({ sounds: { beep: 10, 'hello-world': 10 } });
    const { events } = await connect(sim);
    const call = await sim.placeCall();
    await ari(sim, 'POST', `/channels/${call.channelId}/answer`);
    await ari(sim, 'POST', `/channels/${call.channelId}/play`, { media: 'sound:hello-world' });
    await ari(sim, 'POST', `/channels/${call.channelId}/play`, { media: 'sound:beep' });
    await until(() => events.filter((e) => e.type === 'PlaybackFinished').length === 2);
    expect(events.filter((e) => e.playback).map((e) => `${e.type}:${e.playback?.media_uri}`)).toEqual([
      'PlaybackStarted:sound:hello-world',
      'PlaybackFinished:sound:hello-world',
      'PlaybackStarted:sound:beep',
      'PlaybackFinished:sound:beep',
    ]);
    await ari(sim, 'POST', `/channels/${call.channelId}/record`, { name: 'msg-2', format: 'wav', terminateOn: '#' });
    await call.pressDigits('5#', { gapMs: 1 });
    await until(() => events.some((e) => e.type === 'RecordingFinished'));
    expect(events.find((e) => e.type === 'RecordingFinished')?.recording).toMatchObject({ name: 'msg-2', state: 'done', duration: 0 });
  });
});

describe('bridge recordings under one name', () => {
  it('ifExists=append adds each take to the stored recording; fail refuses a stored name; a live name is refused', async () => {
    sim = await startAriSim();
    const { events } = await connect(sim);
    const call = await sim.placeCall();
    await ari(sim, 'POST', `/channels/${call.channelId}/answer`);
    const take = async (bridgeId: string, ms: number) => {
      await ari(sim!, 'POST', '/bridges', { type: 'mixing', bridgeId });
      await ari(sim!, 'POST', `/bridges/${bridgeId}/addChannel`, { channel: call.channelId! });
      expect((await ari(sim!, 'POST', `/bridges/${bridgeId}/record`, { name: 'call-1', format: 'wav', ifExists: 'append' })).status).toBe(201);
      expect((await ari(sim!, 'POST', `/bridges/${bridgeId}/record`, { name: 'call-1', format: 'wav', ifExists: 'append' })).status).toBe(409);
      await new Promise((resolve) => setTimeout(resolve, ms));
      await ari(sim!, 'DELETE', `/bridges/${bridgeId}`);
      await until(() => events.filter((e) => e.type === 'RecordingFinished').length === [...events].filter((e) => e.type === 'RecordingStarted').length);
      return sim!.asterisk.storedRecordings.get('call-1')!.durationMs;
    };
    const first = await take('b-1', 120);
    const both = await take('b-2', 80);
    expect(first).toBeGreaterThanOrEqual(120);
    expect(both - first).toBeGreaterThanOrEqual(80);
    const file = await fetch(new URL('/ari/recordings/stored/call-1/file', sim.url), { headers: { authorization: `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}` } });
    expect((await file.arrayBuffer()).byteLength).toBe(44 + Math.round((both / 1000) * 8000) * 2);
    expect(events.filter((e) => e.type === 'RecordingStarted').map((e) => e.recording?.target_uri)).toEqual(['bridge:b-1', 'bridge:b-2']);
    await ari(sim, 'POST', '/bridges', { type: 'mixing', bridgeId: 'b-3' });
    expect(await ari(sim, 'POST', '/bridges/b-3/record', { name: 'call-1', format: 'wav' })).toEqual({ status: 422, body: { message: 'Recording already exists' } });
  });
});
