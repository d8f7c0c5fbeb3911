import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAriSim, type AriEvent, type AriSim } from '../index.ts';
import { pcmWav } from '../wav.ts';

/** A PCM wav of `ms` of silence at 8 kHz, 16-bit mono. */
const wav = (ms: number): Buffer => pcmWav(Buffer.alloc(16 * ms), 8000);

// What a hotline serves: a 300 ms prompt, a file that is not audio; anything else 404. Each GET is counted.
const gets: string[] = [];
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    gets.push(req.url ?? '');
    if (req.url === '/p/short.wav') res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav(300));
    else if (req.url === '/p/text.wav') res.writeHead(200, { 'content-type': 'audio/wav' }).end('not audio');
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

let sim: AriSim | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await sim?.stop();
  sim = undefined;
});

async function answeredCall(): Promise<{ channelId: string; events: AriEvent[] }> {
  sim = await startAriSim({ sounds: { beep: 10 } });
  const socket = new WebSocket(sim.wsUrl());
  sockets.push(socket);
  const events: AriEvent[] = [];
  socket.on('message', (data) => events.push(JSON.parse(data.toString()) as AriEvent));
  await new Promise<void>((ok, fail) => socket.once('open', ok).once('error', fail));
  const call = await sim.placeCall();
  await post(`/channels/${call.channelId}/answer`);
  return { channelId: call.channelId!, events };
}

async function post(path: string, query: Record<string, string> = {}): Promise<void> {
  const url = new URL(`/ari${path}`, sim!.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${sim!.username}:${sim!.password}`).toString('base64')}` } });
  expect(res.status).toBeLessThan(300);
}

const play = (channelId: string, media: string) => post(`/channels/${channelId}/play`, { media });

const finished = (events: AriEvent[]) => events.filter((e) => e.type === 'PlaybackFinished').map((e) => `${e.playback?.media_uri} ${e.playback?.state}`);

describe('sound:http(s)://… as res_http_media_cache plays it', () => {
  it('fetches a URL once, plays it for its wav length (in a list too); a 404 or a file that is not a wav fails that playback', async () => {
    const { channelId, events } = await answeredCall();
    const started = Date.now();
    await play(channelId, `sound:${base}/p/short.wav`);
    await expect.poll(() => finished(events)).toEqual([`sound:${base}/p/short.wav done`]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    await play(channelId, `sound:${base}/p/short.wav,sound:beep`);
    await play(channelId, `sound:${base}/p/missing.wav`);
    await play(channelId, `sound:${base}/p/text.wav`);
    await expect.poll(() => finished(events).slice(1)).toEqual([`sound:${base}/p/short.wav,sound:beep done`, `sound:${base}/p/missing.wav failed`, `sound:${base}/p/text.wav failed`]);
    // Kept by URL after the first fetch; failures are not kept.
    expect(gets.filter((g) => g === '/p/short.wav')).toHaveLength(1);
    await play(channelId, `sound:${base}/p/missing.wav`);
    await expect.poll(() => gets.filter((g) => g === '/p/missing.wav').length).toBe(2);
  });
});
