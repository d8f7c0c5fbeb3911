import type { FastifyRequest } from 'fastify';
import { HotlineError } from '../../platform/errors.ts';

/**
 * Cross-site websocket hijacking guard: a browser sends the session cookie with a websocket opened from any page, so
 * the upgrade is accepted only from the console's own origin (the scheme and Host the request came in on, as the
 * trusted proxy reports them) or one listed in config http.allowedOrigins. A request with no Origin is refused too:
 * browsers always send one on a websocket, and other clients can send their own.
 */
export function originAllowed(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin?.trim().toLowerCase();
  if (!origin || origin === 'null') return false;
  const own = `${request.protocol}://${request.host}`.toLowerCase();
  return origin === own || allowedOrigins.some((allowed) => allowed.toLowerCase() === origin);
}

export const originRefused = () =>
  new HotlineError('origin_refused', 403, 'This page may not open the console websocket (its Origin is not allowed).', '此页面无权连接工作台实时通道（来源不被允许）。');
