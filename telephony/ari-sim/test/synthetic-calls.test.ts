import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startAriSim, type AriEvent, type AriSim } from '../index.ts';
import { startSyntheticCalls } from '../synthetic-calls.ts';

let sim: AriSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('synthetic calls (demo and load mode)', () => {
  it('callers are declined without a controller, and answered, press a digit and hang up with one', async () => {
    sim = await startAriSim();
    const s = sim;
    const idle = startSyntheticCalls(s, { callsPerMinute: 6000, patienceMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await idle.stop();
    expect(idle.stats.declined).toBeGreaterThan(0);
    expect(idle.stats.answered).toBe(0);

    // A minimal controller: answer every caller.
    const socket = new WebSocket(s.wsUrl());
    const digits: AriEvent[] = [];
    const auth = `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}`;
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as AriEvent;
      if (event.type === 'StasisStart') void fetch(`${s.url}/ari/channels/${event.channel?.id}/answer`, { method: 'POST', headers: { authorization: auth } });
      if (event.type === 'ChannelDtmfReceived') digits.push(event);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const calls = startSyntheticCalls(s, { callsPerMinute: 3000, patienceMs: 1000, digitDelayMs: [5, 10], talkMs: [5, 10] });
    // Until a few calls have gone through (a fixed wait would count fewer on a loaded machine).
    await expect.poll(() => calls.stats.placed, { timeout: 10_000, interval: 20 }).toBeGreaterThan(2);
    await calls.stop();
    socket.terminate();
    expect(calls.stats.declined).toBe(0);
    expect(calls.stats.answered).toBe(calls.stats.placed);
    expect(calls.stats.hungUp).toBe(calls.stats.placed);
    expect(digits.length).toBe(calls.stats.digitsPressed);
    expect(calls.stats.placed).toBeGreaterThan(2);
    expect(s.channels()).toEqual([]);
  });
});
