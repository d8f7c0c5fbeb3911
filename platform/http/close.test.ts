import { Agent, get } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { Readiness } from '../health.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { closeHttpServer } from './close.ts';
import { createHttpServer } from './server.ts';

let app: FastifyInstance | undefined;
let stopping = false;
afterEach(async () => {
  app?.server.closeAllConnections();
  await app?.close();
  app = undefined;
  stopping = false;
});

/** The process's HTTP server with the given routes; `arrived` resolves when a request reaches its handler. */
async function serve(setup: (app: FastifyInstance, arrived: () => void) => Promise<void> | void) {
  let markArrived!: () => void;
  const arrived = new Promise<void>((resolve) => (markArrived = resolve));
  app = createHttpServer({ logger: createLogger({ level: 'silent', pretty: false }), readiness: new Readiness(), metrics: createMetrics(), isStopping: () => stopping });
  await setup(app, markArrived);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as AddressInfo).port, arrived };
}

/** The lifecycle's order: the process is stopping, then the server closes. */
async function stop(graceMs: number): Promise<number> {
  stopping = true;
  const started = Date.now();
  await closeHttpServer(app!, graceMs);
  return Date.now() - started;
}

/** A GET on a keep-alive agent, as browsers and undici keep their connections. */
function keptAliveGet(port: number, path: string) {
  const agent = new Agent({ keepAlive: true });
  let socketClosed!: () => void;
  const closed = new Promise<void>((resolve) => (socketClosed = resolve));
  let markHeaders!: () => void;
  const headers = new Promise<void>((resolve) => (markHeaders = resolve));
  const response = new Promise<{ status: number; connection: string | undefined; bytes: number }>((resolve, reject) => {
    const request = get({ port, host: '127.0.0.1', path, agent }, (res) => {
      markHeaders();
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, bytes }));
      res.on('error', reject);
    });
    request.on('socket', (socket) => socket.on('close', () => socketClosed()));
    request.on('error', reject);
  });
  return { response, closed, headers };
}

describe('closing the HTTP server while the process stops', () => {
  it('lets a request in hand finish, answers it with Connection: close, and is done without waiting out the keep-alive', async () => {
    let finish!: () => void;
    const { port, arrived } = await serve((a, mark) => {
      a.get('/slow', async () => {
        mark();
        await new Promise<void>((resolve) => (finish = resolve));
        return 'ok';
      });
    });
    const { response, closed } = keptAliveGet(port, '/slow');
    await arrived;
    const stopped = stop(30_000);
    finish();
    expect(await response).toMatchObject({ status: 200, connection: 'close' });
    await closed;
    // fastify's keepAliveTimeout is 72 s and the grace period here 30 s: a close that waited for either is far slower.
    expect(await stopped).toBeLessThan(10_000);
  });

  it('lets a response whose headers went out before the stop stream to its end, then closes its connection', async () => {
    const body = new PassThrough();
    const { port } = await serve((a) => void a.get('/stream', async (_request, reply) => reply.type('text/plain').send(body)));
    body.write('first part;');
    const { response, headers, closed } = keptAliveGet(port, '/stream');
    await headers;
    const stopped = stop(30_000);
    await expect.poll(() => app!.server.listening).toBe(false); // the close is under way, the response still open
    body.end('last part');
    expect(await response).toMatchObject({ status: 200, connection: 'keep-alive', bytes: 'first part;last part'.length });
    await closed;
    expect(await stopped).toBeLessThan(10_000);
  });

  it('cuts, at the end of the grace period, a request that never ends and a websocket peer that never answers the close', async () => {
    const { port, arrived } = await serve(async (a, mark) => {
      await a.register(websocket);
      a.get('/never', () => {
        mark();
        return new Promise(() => undefined);
      });
      a.get('/socket', { websocket: true }, (socket) => socket.send('hello'));
    });
    // A websocket client that shakes hands and then never reads again (a frozen browser tab).
    const peer = connect(port, '127.0.0.1');
    peer.on('error', () => undefined);
    const peerClosed = new Promise<void>((resolve) => peer.on('close', () => resolve()));
    const upgraded = new Promise<void>((resolve) => peer.once('data', () => resolve()));
    peer.write('GET /socket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await upgraded;
    peer.pause();
    const failed = keptAliveGet(port, '/never').response.then(
      () => 'answered',
      (err: NodeJS.ErrnoException) => err.code,
    );
    await arrived;
    // ws would wait 30 s for the peer's close frame; the cut comes at 300 ms.
    expect(await stop(300)).toBeLessThan(10_000);
    expect(await failed).toBe('ECONNRESET');
    peer.resume(); // to read the end the server sent
    await peerClosed;
    expect(app!.server.listening).toBe(false);
  });
});
