import { createRequire } from 'node:module';
import { Pool } from 'undici';
import type { WsRestChannel } from './ws-rest.ts';

/**
 * ari-client forms every REST request (resource, URL, parameters, body) and handles every answer (its promise,
 * its resource objects, its error text); swagger-client 2.0 adds the credentials and its one HTTP executor sends
 * it. That executor builds a new Shred client (cookie jar, logger, listeners) for each request on Node's global
 * agent, and Shred listens to no connection error, so a request on a refused or reset connection never settles;
 * the credentials are one process-wide setting (the last client connected wins) encoded again for each request
 * through the deprecated `Buffer()`. For the ARI servers an adapter registers here, both are swapped: an undici
 * pool per server (kept-alive connections up to a cap; every request settles: answer, connection error or
 * timeout) and that server's own basic-auth header, encoded once. Requests to any other server are untouched.
 */
/** The request swagger-client hands its executor (swagger.js, SwaggerRequest). */
interface SwaggerHttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  on: { error(answer: unknown): void; response(answer: unknown): void };
}
interface SwaggerClient {
  SwaggerHttp: { prototype: { execute(this: unknown, request: SwaggerHttpRequest): unknown } };
  authorizations: { apply(this: unknown, request: SwaggerHttpRequest, names?: unknown): unknown };
}

export interface RestTransportOptions {
  username: string;
  password: string;
  /** Most connections open at once to this server; requests beyond wait for one. Unset: no limit. */
  maxConnections?: number;
  /** Longest wait for an answer's headers, and between two chunks of its body. */
  timeoutMs: number;
}

interface Server {
  origin: string;
  pool: Pool;
  /** Event websockets to this server that carry REST requests (ws-rest.ts); the first open one is used. */
  channels: SocketChannel[];
  authorization: string;
  timeoutMs: number;
  users: number;
}

const servers: Server[] = [];
let installed = false;

/**
 * Sends ari-client's requests to `url`'s server through an undici pool until the returned release is called
 * (by every adapter that registered it: the pool is shared by adapters of the same server).
 */
export function useRestTransport(url: string, options: RestTransportOptions): () => Promise<void> {
  install();
  const origin = new URL(url).origin;
  let server = servers.find((s) => s.origin === origin);
  if (server) server.users++;
  else {
    server = {
      origin,
      pool: new Pool(origin, { connections: options.maxConnections ?? null, pipelining: 1 }),
      channels: [],
      authorization: `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`,
      timeoutMs: options.timeoutMs,
      users: 1,
    };
    servers.push(server);
  }
  const own = server;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--own.users > 0) return;
    servers.splice(servers.indexOf(own), 1);
    await own.pool.close();
  };
}

/** An event websocket that carries its server's REST requests, and what its adapter knows of busy channels. */
interface SocketChannel {
  ws: WsRestChannel;
  /** Whether the channel's own thread in Asterisk is busy with a prompt or recording the adapter started. */
  busy(channelId: string): boolean;
}

/**
 * Sends `url`'s server's requests over this websocket (REST over WebSocket) until the returned release is
 * called; HTTP again once no channel is left. Recording files (binary bodies) always go over HTTP.
 */
export function useWsRestChannel(url: string, ws: WsRestChannel, busy: (channelId: string) => boolean): () => void {
  const channel: SocketChannel = { ws, busy };
  const origin = new URL(url).origin;
  const server = servers.find((s) => s.origin === origin);
  if (!server) throw new Error(`no REST transport registered for ${origin}: useRestTransport first`);
  server.channels.push(channel);
  return () => {
    const at = server.channels.indexOf(channel);
    if (at >= 0) server.channels.splice(at, 1);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  // The swagger-client that ari-client itself loads, wherever npm placed it.
  const fromAriClient = createRequire(createRequire(import.meta.url).resolve('ari-client'));
  const swagger = fromAriClient('swagger-client') as SwaggerClient;
  const { SwaggerHttp, authorizations } = swagger;
  const originalApply = authorizations.apply;
  authorizations.apply = function (this: unknown, request: SwaggerHttpRequest, names?: unknown) {
    const server = serverOf(request.url);
    if (!server) return originalApply.call(this, request, names);
    request.headers.Authorization = server.authorization;
    return true;
  };
  const originalExecute = SwaggerHttp.prototype.execute;
  SwaggerHttp.prototype.execute = function (this: unknown, request: SwaggerHttpRequest) {
    const server = serverOf(request.url);
    if (!server) return originalExecute.call(this, request);
    send(server, request);
    return undefined;
  };
}

function serverOf(url: string): Server | undefined {
  return servers.find((s) => url.startsWith(s.origin) && url[s.origin.length] === '/');
}

/** `/ari/recordings/stored/x/file`: a binary answer, which a RESTResponse's text body cannot carry. */
const binaryAnswer = /\/file(\?|$)/;
/**
 * Requests Asterisk carries out on the channel's own thread and waits for (answer, a channel variable, a channel in or
 * out of a bridge: command_join in res/stasis/control.c). That thread is busy for a whole prompt while it plays one
 * (or while it records), and one socket's requests are handled one after another, so one of these on a busy channel
 * would hold every other call's requests: on a channel the adapter knows busy (busy-channels.ts) they go over HTTP,
 * where only that request waits.
 */
const onChannel = /^\/ari\/channels\/([^/?]+)\/(answer|variable)(\?|$)/;
const onBridge = /^\/ari\/bridges\/[^/?]+\/(addChannel|removeChannel)\?(.*)$/;

function waitsOnBusyChannel(path: string, busy: (channelId: string) => boolean): boolean {
  const channel = onChannel.exec(path);
  if (channel) return busy(decodeURIComponent(channel[1]!));
  const bridge = onBridge.exec(path);
  if (bridge) return (new URLSearchParams(bridge[2]).get('channel') ?? '').split(',').some((id) => id !== '' && busy(id));
  return /^\/ari\/bridges\/[^/?]+\/videoSource/.test(path);
}

function send(server: Server, request: SwaggerHttpRequest): void {
  const path = request.url.slice(server.origin.length);
  const channel = server.channels[0];
  if (channel && path.startsWith('/ari/') && !binaryAnswer.test(path) && !(request.method.toUpperCase() === 'POST' && waitsOnBusyChannel(path, channel.busy))) {
    return sendOverWebsocket(channel.ws, request, path.slice('/ari/'.length));
  }
  server.pool
    .request({
      path,
      method: request.method.toUpperCase() as 'GET',
      headers: request.headers,
      body: request.body,
      headersTimeout: server.timeoutMs,
      bodyTimeout: server.timeoutMs,
    })
    .then(async (answer) => {
      const data = await answer.body.text();
      // The shape swagger-client's own executor gives its callbacks (ari-client reads `data`, swagger `obj` or `data`).
      return { status: answer.statusCode, statusText: String(answer.statusCode), headers: answer.headers, url: request.url, method: request.method, data };
    })
    .then(
      (response) => settle(request, response),
      // A connection error or timeout: ari-client's promise rejects with undici's error (its `code` says which).
      (err: unknown) => report(request.on.error, err),
    );
}

function sendOverWebsocket(channel: WsRestChannel, request: SwaggerHttpRequest, uri: string): void {
  const contentType = request.headers['Content-Type'] ?? request.headers['content-type'] ?? 'application/json';
  channel
    .request(request.method.toUpperCase(), uri, request.body ? { contentType, text: request.body } : undefined)
    .then((answer) => {
      const headers: Record<string, string> = answer.contentType ? { 'content-type': answer.contentType } : {};
      return { status: answer.status, statusText: String(answer.status), headers, url: request.url, method: request.method, data: answer.body };
    })
    .then(
      (response) => settle(request, response),
      // No answer (socket closed, timeout): ari-client's promise rejects with an error whose `code` errors.ts maps.
      (err: unknown) => report(request.on.error, err),
    );
}

/** Hands an answer to ari-client: an error status to its error handler, any other to its response handler. */
function settle(request: SwaggerHttpRequest, response: { status: number; data: string }): void {
  if (response.status >= 400) return report(request.on.error, response);
  try {
    request.on.response(response);
  } catch (err) {
    // ari-client's handling of an answer threw (a body that is not JSON): its promise must still settle.
    report(request.on.error, err);
  }
}

/** swagger-client's error handlers throw once they have reported (SwaggerApi.fail): the report is what counts. */
function report(handler: (answer: unknown) => void, answer: unknown): void {
  try {
    handler(answer);
  } catch {
    // already reported through the handler
  }
}
