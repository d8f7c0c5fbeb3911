import { connect, createServer, type Socket } from 'node:net';

/** Which REST requests a fault hits: all, none, or those whose request line (`POST /ari/channels/…`) matches. */
export type RequestMatch = boolean | RegExp;

export interface AriResetProxy {
  port: number;
  /**
   * While on, every ARI REST request (or those whose request line matches) is answered by a reset connection;
   * the event websocket is left alone. `times`: only that many requests, then the fault is off.
   */
  resetRequests(on: RequestMatch, times?: number): void;
  /**
   * While on, matching requests get no answer at all (as from an Asterisk too busy to answer): the client's own
   * timeout ends them (undici's Headers Timeout). `times`: only that many requests, then the fault is off.
   */
  stallRequests(on: RequestMatch, times?: number): void;
  /**
   * Matching requests reach Asterisk at once, but their answer is held back `ms` (as from an Asterisk that carried
   * the request out and is slow to say so): events it caused meanwhile reach the client first. `times` as above.
   */
  delayResponses(on: RequestMatch, ms: number, times?: number): void;
  /** Requests that matched and were reset, stalled or delayed so far, by the regexp given (or `all`). */
  faulted(match?: RegExp): number;
  /** Connections accepted so far (REST and websocket). */
  connections(): number;
  close(): Promise<void>;
}

interface Fault {
  kind: 'reset' | 'stall' | 'delay';
  match: RequestMatch;
  left: number;
  delayMs?: number;
}

/**
 * A loopback relay in front of the ARI stand-in that can reset or stall HTTP requests in flight (as an overloaded or
 * restarting Asterisk does) while the event websocket keeps flowing.
 */
export async function startAriResetProxy(targetPort: number): Promise<AriResetProxy> {
  let fault: Fault | undefined;
  let accepted = 0;
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(targetPort, '127.0.0.1');
    let websocket: boolean | undefined;
    let stalled = false;
    // Answers held back (delayResponses): the connection's next answer waits this long; later ones keep their order.
    let holdNextMs = 0;
    let answered = Promise.resolve();
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk) => {
      if (stalled) return;
      websocket ??= /\r\nupgrade:\s*websocket/i.test(chunk.toString('latin1'));
      const line = chunk.toString('latin1').split('\r\n', 1)[0]!;
      const hit = fault && !websocket && fault.left > 0 && (fault.match instanceof RegExp ? fault.match.test(line) : fault.match);
      if (hit) {
        const { kind, delayMs = 0 } = fault!;
        hits.push(line);
        if (--fault!.left === 0) fault = undefined;
        // Stalled: nothing is forwarded or answered on this connection until the client gives up on it.
        if (kind === 'stall') {
          stalled = true;
          return;
        }
        if (kind === 'delay') {
          holdNextMs = delayMs;
          upstream.write(chunk);
          return;
        }
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      const wait = holdNextMs;
      holdNextMs = 0;
      answered = answered.then(() => (wait ? new Promise((r) => setTimeout(r, wait)) : undefined)).then(() => void (client.destroyed || client.write(chunk)));
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const set = (kind: Fault['kind'], match: RequestMatch, times = Infinity, delayMs?: number) => {
    fault = match === false ? undefined : { kind, match, left: times, ...(delayMs !== undefined ? { delayMs } : {}) };
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    resetRequests: (on, times) => set('reset', on, times),
    stallRequests: (on, times) => set('stall', on, times),
    delayResponses: (on, ms, times) => set('delay', on, times, ms),
    faulted: (match) => hits.filter((line) => !match || match.test(line)).length,
    connections: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
