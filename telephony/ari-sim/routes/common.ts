import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventHub } from '../event-hub.ts';
import type { SimAsterisk } from '../model/asterisk.ts';
import type { SimChannel } from '../model/channel.ts';

/** What every route needs: the Asterisk currently running (it changes on restart). */
export interface RouteContext {
  asterisk(): SimAsterisk;
  hub: EventHub;
}

/** An ARI error response; Asterisk uses {"message": …} except for allocation failures ({"error": …}). */
export class AriHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, string>,
  ) {
    super(body.message ?? body.error ?? `HTTP ${status}`);
  }
}

/** The status and body an error answers with (5xx internals hidden); one mapping for HTTP and the websocket. */
export function httpErrorOf(error: unknown): { status: number; body: Record<string, string> } {
  if (error instanceof AriHttpError) return { status: error.status, body: error.body };
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  return { status, body: { message: status >= 500 ? 'Internal Server Error' : (error as Error).message } };
}

export const ariError = (status: number, message: string) => new AriHttpError(status, { message });

/**
 * A query parameter given more than once: the first value (`api_key`, the events websocket's `app`), or the last,
 * as every generated ARI handler reads one (res/res_ari_*.c assign each in turn).
 */
export function queryValue(value: unknown, which: 'first' | 'last'): string | undefined {
  const chosen = Array.isArray(value) ? (which === 'first' ? value[0] : value[value.length - 1]) : value;
  return chosen === undefined ? undefined : String(chosen);
}

/**
 * An HTTP body sent as `application/x-www-form-urlencoded`: its pairs are parameters, put before the query's
 * (ast_ari_callback in res/res_ari.c appends the query to ast_http_get_post_vars), so the query wins.
 */
export class FormBody {
  constructor(readonly pairs: Array<[string, string]>) {}

  static parse(text: string): FormBody {
    return new FormBody([...new URLSearchParams(text)]);
  }
}

/** Parameters that take several values (`allowMultiple`): a JSON array gives them all, as the generated *_parse_body do. */
const LIST_PARAMETERS = new Set(['channel', 'source']);

/**
 * Query parameters merged with a form body's (before them) or a JSON body's fields (over them), as ARI accepts
 * each (body `variables` kept apart). A repeated parameter keeps its last value; a list parameter (addChannel's
 * `channel`) is one comma-separated value, or a JSON array of them.
 */
export function params(request: FastifyRequest): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = {};
  const body = request.body;
  if (body instanceof FormBody) for (const [key, value] of body.pairs) merged[key] = value;
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    merged[key] = queryValue(value, 'last');
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && !(body instanceof FormBody)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (Array.isArray(value) && LIST_PARAMETERS.has(key)) merged[key] = value.map(String).join(',');
      if (key === 'variables' || value === null || typeof value === 'object') continue;
      merged[key] = String(value);
    }
  }
  return merged;
}

/** `{"variables": {"NAME": "value"}}` from the JSON body. */
export function bodyVariables(request: FastifyRequest): Record<string, string> {
  const body = request.body as { variables?: unknown } | null | undefined;
  const variables = body && typeof body === 'object' ? body.variables : undefined;
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== 'object' || Array.isArray(variables)) throw ariError(400, 'variables must be an object');
  return Object.fromEntries(Object.entries(variables as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

export function integerParam(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw ariError(400, `${name} must be an integer`);
  return parsed;
}

export function findChannel(ast: SimAsterisk, id: string): SimChannel {
  const channel = ast.channels.get(id);
  if (!channel) throw ariError(404, 'Channel not found');
  return channel;
}

/** Channel operations other than hangup and variables need the channel to be in a Stasis app. */
export function findStasisChannel(ast: SimAsterisk, id: string): SimChannel {
  const channel = findChannel(ast, id);
  if (!channel.inStasis) throw ariError(412, 'Channel not in Stasis application');
  return channel;
}

export function noContent(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}
