import type { FastifyInstance } from 'fastify';
import type { WebSocketServer } from 'ws';

/**
 * While the process stops, every response closes its connection once it is sent. Node closes idle keep-alive
 * connections once, when the close begins, and fastify's 'idle' setting never runs on a default server
 * (fastify#7044): a connection busy at that moment would otherwise stay open, after its response, for fastify's
 * 72 s keepAliveTimeout. A response that starts while stopping says `Connection: close` (the client does not
 * reuse the connection); one whose headers were already out is followed by an end of its socket once it has
 * been sent whole.
 */
export function closeConnectionsWhileStopping(app: FastifyInstance, isStopping: () => boolean): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (isStopping()) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    if (isStopping()) request.raw.socket?.end();
    done();
  });
}

/**
 * Closes the server: requests in hand finish (their connections then close, above); past `graceMs` whatever is
 * still open, websockets included, is cut, and said so in a warning.
 */
export async function closeHttpServer(app: FastifyInstance, graceMs: number): Promise<void> {
  const server = app.server;
  const cut = setTimeout(() => {
    // Upgraded sockets are no longer the HTTP server's to close; a peer that never answers the close frame would hold it up.
    const websockets = [...((app as FastifyInstance & { websocketServer?: WebSocketServer }).websocketServer?.clients ?? [])];
    server.getConnections((_err, connections) => app.log.warn({ connections, websockets: websockets.length, graceMs }, 'connections still open at the end of the grace period: cut'));
    server.closeAllConnections();
    for (const socket of websockets) socket.terminate();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}
