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
  const { createSocket } = await import('node:dgram');
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.on('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        const { port: bound } = socket.address();
        socket.close(() => resolve(bound));
      });
    });
    if (!(await accepts(port))) return port;
  }
  throw new Error('no free UDP port found');
}
