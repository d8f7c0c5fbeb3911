import type { FastifyInstance } from 'fastify';
import type { WebSocketServer } from 'ws';

/** How often connections that have finished their request are looked for while the server closes. */
const reapEveryMs = 100;

/**
 * Closes the server gracefully and in bounded time. Requests in hand finish; a keep-alive connection is closed
 * as soon as it is idle. Fastify alone would wait out the client's keep-alive (up to its 72 s keepAliveTimeout)
 * for a connection whose request was still running when the close began: Node closes idle connections once,
 * at that moment, and fastify's 'idle' setting never runs on a default server (fastify#7044). Past `graceMs`
 * whatever is still open, websockets included, is cut.
 */
export async function closeHttpServer(app: FastifyInstance, graceMs: number): Promise<void> {
  const server = app.server;
  const reap = setInterval(() => server.closeIdleConnections(), reapEveryMs);
  const cut = setTimeout(() => {
    server.closeAllConnections();
    // Upgraded sockets are no longer the HTTP server's to close; a peer that never answers the close frame would hold it up.
    const websockets = (app as FastifyInstance & { websocketServer?: WebSocketServer }).websocketServer;
    for (const socket of websockets?.clients ?? []) socket.terminate();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(reap);
    clearTimeout(cut);
  }
}
