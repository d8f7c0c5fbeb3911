import { connect, createServer, type Socket } from 'node:net';

export interface AriResetProxy {
  port: number;
  /**
   * While on, every ARI REST request (or those whose request line matches) is answered by a reset connection;
   * the event websocket is left alone.
   */
  resetRequests(on: boolean | RegExp): void;
  /** Connections accepted so far (REST and websocket). */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A loopback relay in front of the ARI stand-in that can reset HTTP requests in flight (as an overloaded or
 * restarting Asterisk does) while the event websocket keeps flowing.
 */
export async function startAriResetProxy(targetPort: number): Promise<AriResetProxy> {
  let resetting: boolean | RegExp = false;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(targetPort, '127.0.0.1');
    let websocket: boolean | undefined;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk) => {
      websocket ??= /\r\nupgrade:\s*websocket/i.test(chunk.toString('latin1'));
      const matches = resetting instanceof RegExp ? resetting.test(chunk.toString('latin1').split('\r\n', 1)[0]!) : resetting;
      if (matches && !websocket) {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    resetRequests: (on) => (resetting = on),
    connections: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
