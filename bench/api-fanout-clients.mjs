// Fan-out benchmark clients (plain JS, run in a worker thread by bench/api-fanout.ts): opens one websocket per
// cookie, then for every `call.offered` whose callId is "bench-<n>-<publish time in epoch ms>" records how long
// after publishing it arrived; reports each event's completion and, at the end, every delay.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, cookies } = workerData;
const now = () => performance.timeOrigin + performance.now();
const delays = [];
const received = new Map();
const sockets = [];
for (const cookie of cookies) {
  const socket = new WebSocket(url, { headers: { cookie } });
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw));
    const match = message.type === 'call.offered' && /^bench-(\d+)-([\d.]+)$/.exec(message.data.callId ?? '');
    if (!match) return;
    delays.push(now() - Number(match[2]));
    const n = Number(match[1]);
    const count = (received.get(n) ?? 0) + 1;
    received.set(n, count);
    if (count === cookies.length) parentPort.postMessage({ done: n });
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  sockets.push(socket);
}
parentPort.postMessage({ ready: sockets.length });
parentPort.on('message', (message) => {
  if (message === 'finish') {
    for (const s of sockets) s.close();
    parentPort.postMessage({ delays });
  }
});
