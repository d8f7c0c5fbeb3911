/**
 * Websocket fan-out for the API benchmark: `consoles` operators' consoles connected to one API process, `events`
 * `call.offered` events published one at a time through the EventBus (Redis pub/sub) and the hub; delivery latency
 * from publish to receipt. `clients`: 'worker' runs the consoles in a worker thread (their own event loop, as
 * browsers elsewhere would be; the server's thread does only the server's work), 'same-thread' in the server's
 * own event loop (the earlier method: every delivery's receiving cost lands on the server's loop too).
 */
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { publishEvent } from '../api/realtime/event-catalogue.ts';
import { sessionCookieFor, type SeededCourt } from '../api/testing/fixtures.ts';
import type { Hotline } from '../hotline.ts';

export interface FanOut {
  events: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
}

const wallNow = () => performance.timeOrigin + performance.now();

export async function measureFanOut(hotline: Hotline, court: SeededCourt, options: { consoles: number; events?: number; clients: 'worker' | 'same-thread' }): Promise<FanOut> {
  const events = options.events ?? 20;
  const wsUrl = `${hotline.url.replace('http', 'ws')}/api/realtime`;
  const cookies: string[] = [];
  for (let i = 0; i < options.consoles; i++) cookies.push(await sessionCookieFor(hotline.deps.db, court.users.operator.id));

  let delays: number[] = [];
  const done = new Set<number>();
  let finish: () => Promise<void>;
  if (options.clients === 'worker') {
    const worker = new Worker(new URL('./api-fanout-clients.mjs', import.meta.url), { workerData: { url: wsUrl, cookies } });
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: { ready?: number; done?: number; delays?: number[] }) => {
        if (m.ready !== undefined) resolve();
        if (m.done !== undefined) done.add(m.done);
        if (m.delays) delays = m.delays;
      });
    });
    finish = async () => {
      worker.postMessage('finish');
      const deadline = Date.now() + 5000;
      while (delays.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await worker.terminate();
    };
  } else {
    const counts = new Map<number, number>();
    const sockets: WebSocket[] = [];
    for (const cookie of cookies) {
      const socket = new WebSocket(wsUrl, { headers: { cookie }, origin: new URL(hotline.url).origin });
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw)) as { type: string; data: { callId?: string } };
        const match = message.type === 'call.offered' ? /^bench-(\d+)-([\d.]+)$/.exec(message.data.callId ?? '') : null;
        if (!match) return;
        delays.push(wallNow() - Number(match[2]));
        const n = Number(match[1]);
        counts.set(n, (counts.get(n) ?? 0) + 1);
        if (counts.get(n) === cookies.length) done.add(n);
      });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      sockets.push(socket);
    }
    finish = async () => sockets.forEach((s) => s.close());
  }

  for (let n = 0; n < events; n++) {
    const callId = `bench-${n}-${wallNow().toFixed(3)}`;
    await publishEvent(hotline.deps.events, { type: 'call.offered', courtId: court.courtId, audience: { roles: ['operator'] }, data: { callId, callerNumberMasked: '138****5678', queuedAt: new Date().toISOString() } });
    const deadline = Date.now() + 5000;
    while (!done.has(n) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
  }
  await finish();
  const sorted = [...delays].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { events, delivered: sorted.length, expected: events * options.consoles, p50: pick(0.5), p99: pick(0.99), max: sorted.at(-1) ?? NaN };
}
