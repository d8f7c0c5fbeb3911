import { STATUS_CODES } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { WebSocket } from 'ws';
import { ariTimestamp } from './format.ts';
import type { ResponseOrder } from './response-order.ts';
import type { RouteTable } from './route-table.ts';

/**
 * Asterisk 22's ARI REST over WebSocket: a `RESTRequest` message on `/ari/events` is run by the same route
 * handlers as HTTP (the socket authenticated already) and answered with a `RESTResponse` on that socket.
 * Requests of one socket run one after another, in arrival order, as Asterisk's session thread does; the
 * events a request causes go out before its response, except those of a channel's own thread, which follow it
 * (response-order.ts). Checks and texts follow res/ari/ari_websocket_requests.c
 * and ast_ari_invoke (res/res_ari.c); `fixtures/rest-over-websocket.jsonl` is a recording of Asterisk 22.10.1.
 */
export interface RestSocketOptions {
  routes: RouteTable;
  /** The first app of the socket's `?app=` list: Asterisk names it in every RESTResponse. */
  application: string;
  asteriskId: string;
  /** The upgrade request's Host (the api-docs' basePath). */
  host?: string;
  /** Sends a text frame if the socket can still get one. */
  send(text: string): void;
  /** Sends each RESTResponse in its place among the events (response-order.ts). */
  order: ResponseOrder;
}

interface Reply {
  status: number;
  phrase: string;
  /** JSON text, or null for an answer without body (no content_type / message_body then). */
  body: string | null;
}

interface Envelope {
  transactionId: string;
  requestId: string;
  /** The request's uri without its query string; "" until the uri is read. */
  uri: string;
}

const METHODS = new Set(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const badRequest = (message: string): Reply => ({ status: 400, phrase: 'Bad request', body: JSON.stringify({ message }) });
const errorReply = (status: number, phrase: string, message: string): Reply => ({ status, phrase, body: JSON.stringify({ message }) });
const NO_CONTENT: Reply = { status: 204, phrase: 'No Content', body: null };
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Handlers whose reason phrase is not the status' standard one (res/ari/resource_*.c), by the stand-in's message. */
const PHRASE_BY_MESSAGE: Record<string, string> = {
  'Provided variable was not found': 'Variable Not Found',
  'Invalid reason for hangup reason provided': 'Invalid Reason',
  'Invalid reason for hangup reason code provided': 'Invalid Reason Code',
};

function reasonPhrase(status: number, method: string, path: string, message: string | undefined): string {
  // find_bridge says "Not found"; only GET /bridges/{id} has its own lookup saying "Not Found".
  if (message === 'Bridge not found') return method === 'GET' && /^bridges\/[^/]+$/.test(path) ? 'Not Found' : 'Not found';
  return (message !== undefined && PHRASE_BY_MESSAGE[message]) || (STATUS_CODES[status] ?? '');
}

function frame(options: RestSocketOptions, envelope: Envelope, reply: Reply): string {
  const message: Record<string, unknown> = {
    type: 'RESTResponse',
    transaction_id: envelope.transactionId,
    request_id: envelope.requestId,
    status_code: reply.status,
    reason_phrase: reply.phrase,
    uri: envelope.uri,
  };
  if (reply.body !== null) {
    message.content_type = 'application/json';
    message.message_body = reply.body;
  }
  message.application = options.application;
  message.timestamp = ariTimestamp();
  message.asterisk_id = options.asteriskId;
  return JSON.stringify(message);
}

/** `[{name, value}]` as a query string; null when Asterisk refuses the array (an empty or absent one is no input). */
function queryStrings(value: unknown): string | null {
  if (!Array.isArray(value)) return '';
  const parts: string[] = [];
  for (const entry of value as unknown[]) {
    const { name, value: v } = (entry ?? {}) as { name?: unknown; value?: unknown };
    if (typeof entry !== 'object' || Array.isArray(entry) || typeof name !== 'string' || typeof v !== 'string') return null;
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(v)}`);
  }
  return parts.join('&');
}

const join = (...queries: string[]) => queries.filter(Boolean).join('&');

async function answer(options: RestSocketOptions, raw: string): Promise<string> {
  const envelope: Envelope = { transactionId: '', requestId: '', uri: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  // Asterisk loads only objects and arrays; anything else gets a body-less 400 with empty ids.
  if (parsed === null || typeof parsed !== 'object') {
    return frame(options, envelope, { status: 400, phrase: 'Failed to parse request message JSON', body: null });
  }
  const message = (Array.isArray(parsed) ? {} : parsed) as Record<string, unknown>;
  envelope.transactionId = text(message.transaction_id);
  envelope.requestId = text(message.request_id);
  const reply = await run(options, message, envelope);
  return frame(options, envelope, reply);
}

async function run(options: RestSocketOptions, message: Record<string, unknown>, envelope: Envelope): Promise<Reply> {
  const type = text(message.type);
  if (!type) return badRequest("No 'type' property.");
  if (type !== 'RESTRequest') return badRequest('Unknown request type.');
  const uri = text(message.uri);
  if (!uri) return badRequest("Empty or missing 'uri' property.");
  const mark = uri.indexOf('?');
  const path = mark < 0 ? uri : uri.slice(0, mark);
  envelope.uri = path;
  const method = text(message.method);
  if (!METHODS.has(method)) return badRequest("Unknown or missing 'method' property.");
  const extra = queryStrings(message.query_strings);
  if (extra === null) return badRequest("Unable to parse 'query_strings' array.");
  let query = join(mark < 0 ? '' : uri.slice(mark + 1), extra);

  let payload: unknown;
  const body = text(message.message_body);
  if (body) {
    const contentType = text(message.content_type);
    if (!contentType) return badRequest("No 'content_type' for 'message_body'.");
    if (contentType === 'application/x-www-form-urlencoded') query = join(query, body);
    else if (contentType === 'application/json') {
      try {
        payload = JSON.parse(body);
      } catch {
        return badRequest("Unable to parse 'message_body' as 'application/json'.");
      }
    } else return badRequest('Unknown content type.');
  }

  const resolved = options.routes.resolve(method, path);
  if (resolved.kind === 'options') return NO_CONTENT;
  if (resolved.kind === 'websocket') return badRequest("Can't upgrade to websocket from a websocket");
  if (resolved.kind === 'error') return errorReply(resolved.status, resolved.phrase, resolved.message);
  const result = await options.routes.invoke(resolved, {
    query: query ? parseQuery(query) : {},
    body: payload,
    headers: { host: options.host },
    url: `/ari/${path}`,
  });
  // A file (a stored recording's /file) cannot travel in a message.
  if (result.file) return { status: 406, phrase: 'Not Acceptable.  Use HTTP GET', body: null };
  return { status: result.status, phrase: reasonPhrase(result.status, method, path, result.message), body: result.body };
}

/** Answers the socket's RESTRequest messages, one at a time in arrival order. */
export function serveRestOverWebsocket(socket: WebSocket, options: RestSocketOptions): void {
  let queue: Promise<void> = Promise.resolve();
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const raw = data.toString();
    queue = queue.then(
      async () => {
        const scope = options.order.begin('websocket');
        try {
          const response = await scope.run(() => answer(options, raw));
          // Queued when another request holds events, so it still follows the events this request caused.
          scope.respond(() => {
            try {
              options.send(response);
            } catch {
              // A failed send must not stop the frames queued behind it.
            }
          });
        } catch {
          // Handler errors are answered by `answer`; nothing here may stop the socket's later requests.
        } finally {
          scope.answered();
        }
      },
      () => undefined,
    );
  });
}
