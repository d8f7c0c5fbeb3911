import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterFile } from './after-file.ts';

export interface TcpProxy {
  port: number;
  /** Simulates the server going away: closes the listener and every open connection. */
  cut(): Promise<void>;
  /** Brings the server back on the same port. */
  restore(): Promise<void>;
}

/** A loopback TCP relay in front of a real server, so a test can take that server away and back. */
export async function useTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server?.address();
        if (typeof address === 'object' && address) port = address.port;
        resolve();
      });
    });
  const cut = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  };
  await listen();
  afterFile(cut);
  return { port, cut, restore: listen };
}
