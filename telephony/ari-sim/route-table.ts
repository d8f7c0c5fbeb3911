import type { FastifyInstance } from 'fastify';
import { httpErrorOf } from './routes/common.ts';

type Handler = (request: unknown, reply: unknown) => unknown;

interface Route {
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

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * The server's /ari routes, collected as Fastify registers them, so a request that comes over the websocket
 * runs the very same handler without an HTTP round trip (`inject` costs about 120 µs a request, this a few).
 * Matching follows find-my-way: a static segment wins over a parameter.
 */
export class RouteTable {
  /** method → first path segment → routes. */
  private readonly routes = new Map<string, Map<string, Route[]>>();

  /** Call before the routes are declared. The websocket route is left out (it is no REST resource). */
  collect(app: FastifyInstance): void {
    app.addHook('onRoute', (options) => {
      if (!options.url.startsWith('/ari/') || (options as { websocket?: boolean }).websocket) return;
      const segments = options.url.slice('/ari/'.length).split('/');
      for (const method of Array.isArray(options.method) ? options.method : [options.method]) {
        let byFirst = this.routes.get(method);
        if (!byFirst) this.routes.set(method, (byFirst = new Map()));
        const list = byFirst.get(segments[0]!) ?? [];
        list.push({ segments, handler: options.handler as Handler });
        byFirst.set(segments[0]!, list);
      }
    });
  }

  /** The best route for a method and a path below /ari (no leading "/"), with its decoded parameters. */
  find(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    const parts = path.split('/');
    let best: Route | null = null;
    let bestStatic = '';
    for (const route of this.routes.get(method)?.get(parts[0]!) ?? []) {
      if (route.segments.length !== parts.length) continue;
      let statics = '';
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const segment = route.segments[i]!;
        if (segment.startsWith(':')) {
          ok = parts[i] !== '';
          statics += '0';
        } else {
          ok = segment === parts[i];
          statics += '1';
        }
      }
      if (ok && (best === null || statics > bestStatic)) [best, bestStatic] = [route, statics];
    }
    if (!best) return null;
    const params: Record<string, string> = {};
    best.segments.forEach((segment, i) => {
      if (segment.startsWith(':')) params[segment.slice(1)] = decode(parts[i]!);
    });
    return { route: best, params };
  }

  /** Whether any method has a route for the path (Asterisk: 405 rather than 404 for a wrong method). */
  knows(path: string): boolean {
    for (const method of this.routes.keys()) if (method !== 'HEAD' && this.find(method, path)) return true;
    return false;
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
