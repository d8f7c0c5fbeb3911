import type { FastifyInstance } from 'fastify';
import { httpErrorOf } from './routes/common.ts';

type Handler = (request: unknown, reply: unknown) => unknown;

export interface Route {
  /** Path below /ari split at "/"; a segment starting with ":" is a parameter. */
  segments: string[];
  handler: Handler;
}

export interface RouteResult {
  status: number;
  /** JSON text, or null when the answer has no body. */
  body: string | null;
  /** The answer is a file (a stored recording's /file), not JSON. */
  file: boolean;
  /** An error's `message`. */
  message?: string;
}

/** Just what the route handlers use of Fastify's reply. */
class CapturedReply {
  statusCode = 200;
  payload: unknown = undefined;
  contentType: string | null = null;
  code(status: number): this {
    this.statusCode = status;
    return this;
  }
  type(contentType: string): this {
    this.contentType = contentType;
    return this;
  }
  send(payload?: unknown): this {
    this.payload = payload;
    return this;
  }
}

/** A path segment as ast_uri_decode(…, ast_uri_http_legacy) reads it in ast_invoke: `+` is a space, then %XX. */
const decode = (segment: string) => {
  const spaced = segment.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
};

/**
 * The url Fastify routes for an HTTP request: Asterisk's walk stops at the first empty segment (`GET
 * /ari/channels//x` lists the channels), so the path is cut there. A leading or trailing empty segment is left
 * to `resolve`, which answers it before routing (the onRequest hook reads the original url).
 */
export function routedUrl(url: string): string {
  if (!url.startsWith('/ari/')) return url;
  const mark = url.indexOf('?');
  const path = url.slice('/ari/'.length, mark < 0 ? undefined : mark);
  const cut = path.indexOf('//');
  if (cut <= 0) return url;
  return `/ari/${path.slice(0, cut)}${mark < 0 ? '' : url.slice(mark)}`;
}

/** Methods in Asterisk's enum ast_http_method order (the order of an `Allow` header). */
const METHOD_ORDER = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE'];

/** One resource of Asterisk's handler tree: a path segment, its methods and its children. */
class ResourceNode {
  readonly methods = new Map<string, Route>();
  readonly children = new Map<string, ResourceNode>();
  wildcard: ResourceNode | null = null;
  /** `/events`: a GET is the websocket upgrade. */
  websocket = false;

  /** `Allow: OPTIONS` plus the resource's methods (res_ari.c add_allow_header). */
  allow(): string {
    return ['OPTIONS', ...METHOD_ORDER.filter((m) => this.methods.has(m))].join(',');
  }
}

/** Where ast_ari_invoke (res/res_ari.c) lands a method and a path: the same for HTTP and REST over WebSocket. */
export type Resolution =
  | { kind: 'handler'; route: Route; params: Record<string, string> }
  | { kind: 'options'; allow: string }
  /** GET /events: the websocket upgrade (over the websocket itself a 400). */
  | { kind: 'websocket' }
  | { kind: 'error'; status: number; phrase: string; message: string; allow?: string };

const notFound = (message: string): Resolution => ({ kind: 'error', status: 404, phrase: 'Not Found', message });

/**
 * The server's /ari routes, collected as Fastify registers them, so a request that comes over the websocket
 * runs the very same handler without an HTTP round trip (`inject` costs about 120 µs a request, this a few).
 * Paths resolve as Asterisk's handler tree does (`resolve`), for both transports.
 */
export class RouteTable {
  private readonly root = new ResourceNode();

  /** Call before the routes are declared. The websocket route is kept as the /events resource only. */
  collect(app: FastifyInstance): void {
    app.addHook('onRoute', (options) => {
      if (!options.url.startsWith('/ari/')) return;
      const segments = options.url.slice('/ari/'.length).split('/');
      let node = this.root;
      for (const segment of segments) {
        if (segment.startsWith(':')) node = node.wildcard ??= new ResourceNode();
        else {
          let child = node.children.get(segment);
          if (!child) node.children.set(segment, (child = new ResourceNode()));
          node = child;
        }
      }
      if ((options as { websocket?: boolean }).websocket) {
        node.websocket = true;
        return;
      }
      // Fastify's own HEAD routes are left out: no ARI resource has a HEAD handler.
      for (const method of Array.isArray(options.method) ? options.method : [options.method]) {
        if (method !== 'HEAD' && method !== 'OPTIONS') node.methods.set(method, { segments, handler: options.handler as Handler });
      }
    });
  }

  /**
   * What Asterisk answers a method on a path below /ari (no leading "/", no query): a trailing slash is 404, the
   * api-docs have GET only, each segment takes a literal child before a {parameter} one (no going back), then a
   * known resource answers OPTIONS with 204 and a method it lacks with 405, both with `Allow`.
   */
  resolve(method: string, path: string): Resolution {
    if (path.endsWith('/')) return notFound(`ARI URLs do not end with a slash. Try /ari/${path.slice(0, -1)}`);
    if (path.startsWith('api-docs/') && method !== 'GET') {
      return { kind: 'error', status: 405, phrase: 'Method Not Allowed', message: 'Unsupported method' };
    }
    const parts = path.split('/');
    let node = this.root;
    let depth = 0;
    // An empty segment ends the walk (a leading "/" stays at the root, which has no methods).
    for (; depth < parts.length && parts[depth] !== ''; depth++) {
      const next = node.children.get(decode(parts[depth]!)) ?? node.wildcard;
      if (!next) return notFound('Resource not found');
      node = next;
    }
    if (method === 'OPTIONS') return { kind: 'options', allow: node.allow() };
    if (node.websocket && method === 'GET') return { kind: 'websocket' };
    const route = node.methods.get(method);
    if (!route) return { kind: 'error', status: 405, phrase: 'Method Not Allowed', message: 'Invalid method', allow: node.allow() };
    const params: Record<string, string> = {};
    route.segments.forEach((segment, i) => {
      if (segment.startsWith(':') && i < depth) params[segment.slice(1)] = decode(parts[i]!);
    });
    return { kind: 'handler', route, params };
  }

  async invoke(
    found: { route: Route; params: Record<string, string> },
    request: { query: Record<string, unknown>; body: unknown; headers: Record<string, string | undefined>; url: string },
  ): Promise<RouteResult> {
    const reply = new CapturedReply();
    try {
      const returned = await found.route.handler({ ...request, params: found.params }, reply);
      if (returned !== reply && returned !== undefined) reply.payload = returned;
    } catch (error) {
      const { status, body } = httpErrorOf(error);
      return { status, body: JSON.stringify(body), file: false, message: body.message };
    }
    const payload = reply.payload;
    if (payload === undefined || payload === '') return { status: reply.statusCode, body: null, file: false };
    if (Buffer.isBuffer(payload) || (reply.contentType !== null && !reply.contentType.startsWith('application/json'))) {
      return { status: reply.statusCode, body: null, file: true };
    }
    return { status: reply.statusCode, body: JSON.stringify(payload), file: false };
  }
}
