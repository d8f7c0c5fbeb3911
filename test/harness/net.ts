import { createSocket, type Socket } from 'node:dgram';
import { accepts } from '../../platform/net.ts';

export { freePort } from '../../platform/net.ts';

export async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await accepts(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
}

/**
 * A loopback port free for both UDP and TCP (SIP and RTP peers use UDP, which freePort does not check).
 * Taken from the OS's ephemeral range, which the test Asterisks' RTP ranges stay below.
 */
export async function freeUdpPort(): Promise<number> {
  return freeUdpPorts(1);
}

/**
 * The first of `count` consecutive loopback UDP ports, all free at once (sipp's media port p takes p+2 for video
 * too); like freeUdpPort, checked free for TCP as well.
 */
export async function freeUdpPorts(count: number): Promise<number> {
  const bind = (port: number) =>
    new Promise<Socket | null>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(null);
      });
      socket.bind(port, '127.0.0.1', () => resolve(socket));
    });
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = await bind(0);
    if (!base) continue;
    const held = [base];
    const first = base.address().port;
    while (held.length < count && first + held.length <= 65535) {
      const next = await bind(first + held.length);
      if (!next) break;
      held.push(next);
    }
    await Promise.all(held.map((s) => new Promise<void>((r) => s.close(() => r()))));
    if (held.length < count) continue;
    let taken = false;
    for (let i = 0; i < count && !taken; i++) taken = await accepts(first + i);
    if (!taken) return first;
  }
  throw new Error(`no ${count} consecutive free UDP ports found`);
}
