import { Agent, get } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { closeHttpServer } from './close.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  app?.server.closeAllConnections();
  await app?.close();
  app = undefined;
});

async function serve(setup: (app: FastifyInstance) => Promise<void> | void): Promise<number> {
  app = Fastify();
  await setup(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/** A GET on a keep-alive agent (as browsers and undici keep their connections): status and when the connection closed. */
function keptAliveGet(port: number, path: string): { response: Promise<number>; closed: Promise<number> } {
  const agent = new Agent({ keepAlive: true });
  let markClosed!: (at: number) => void;
  const closed = new Promise<number>((resolve) => (markClosed = resolve));
  const response = new Promise<number>((resolve, reject) => {
    const request = get({ port, host: '127.0.0.1', path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    request.on('socket', (socket) => socket.on('close', () => markClosed(Date.now())));
    request.on('error', reject);
  });
  return { response, closed };
}

describe('closeHttpServer', () => {
  it('lets a request in hand finish, then closes its keep-alive connection at once instead of after the keep-alive timeout', async () => {
    const port = await serve((a) => void a.get('/slow', async () => new Promise((r) => setTimeout(() => r('ok'), 400))));
    const { response, closed } = keptAliveGet(port, '/slow');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await closeHttpServer(app!, 30_000);
    const stoppedAt = Date.now();
    expect(await response).toBe(200);
    // fastify's keepAliveTimeout is 72 s: a close that waited for the client would not be done within the grace period's tenth.
    expect(stoppedAt - started).toBeLessThan(3_000);
    expect((await closed) - stoppedAt).toBeLessThan(1_000);
  });

  it('cuts a request that outlasts the grace period, and a websocket peer that never answers the close', async () => {
    const port = await serve(async (a) => {
      await a.register(websocket);
      a.get('/never', () => new Promise(() => undefined));
      a.get('/socket', { websocket: true }, (socket) => socket.send('hello'));
    });
    // A websocket client that shakes hands and then never reads again (a frozen browser tab).
    const peer = connect(port, '127.0.0.1');
    const peerClosed = new Promise<void>((resolve) => peer.on('close', () => resolve()));
    const upgraded = new Promise<void>((resolve) => peer.once('data', () => resolve()));
    peer.write('GET /socket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await upgraded;
    peer.pause();
    const { response } = keptAliveGet(port, '/never');
    const failed = response.then(
      () => 'answered',
      (err: NodeJS.ErrnoException) => err.code,
    );
    await new Promise((r) => setTimeout(r, 100));
    await closeHttpServer(app!, 300);
    expect(await failed).toBe('ECONNRESET');
    peer.resume(); // to read the end the server sent
    await peerClosed;
    expect(app!.server.listening).toBe(false);
  });
});
