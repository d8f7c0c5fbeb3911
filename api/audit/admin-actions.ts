import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../../platform/logger.ts';
import { replayedHeader } from '../../platform/http/idempotency.ts';
import { maskUrl } from '../../platform/masking.ts';
import type { AuditLog } from './audit-log.ts';

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes whose service records its own, finer entries (user.*, department.*, court.*, sign-in and sign-out). */
const auditedByService = [/^\/api\/users(\/|$)/, /^\/api\/departments(\/|$)/, /^\/api\/courts(\/|$)/, /^\/api\/auth\//];

/** A route only admins (and managers) may call: its changes are administration wherever the capability keeps it. */
function administrative(request: FastifyRequest): boolean {
  const roles = request.routeOptions.config.roles;
  return Array.isArray(roles) && roles.every((role) => role === 'admin' || role === 'manager');
}

/**
 * Fills the audit trail's gaps with one hook instead of a call in every capability: every change an admin makes, and
 * every change on an admin or manager route (ticket categories and deadlines, calendar, KPI settings, the case
 * directory and knowledge imports, the SMS switch, the queue board's retries and removals, …), is recorded as
 * `admin.action` with the route, the answer's status and (when it was made) the masked URL, refusals included; a rate-limited sign-in
 * as `sign_in.rate_limited`. An answer replayed for a repeated Idempotency-Key is not recorded again. No bodies are recorded (they may hold personal data). Written before the answer leaves
 * (onSend), so a client that got its answer finds the entry: a write after the response raced the reader. A route
 * that hijacks its reply skips onSend: none that changes anything does (only the realtime websocket hijacks).
 */
export function installAdminActionAudit(app: FastifyInstance, audit: AuditLog, logger: Logger): void {
  app.addHook('onSend', async (request, reply, payload) => {
    // A replayed answer (the same Idempotency-Key again) changed nothing: the first request has its entry.
    if (reply.getHeader(replayedHeader) === 'true') return payload;
    await recordAdminAction(request, reply.statusCode, audit, logger);
    return payload;
  });
}

async function recordAdminAction(request: FastifyRequest, statusCode: number, audit: AuditLog, logger: Logger): Promise<void> {
  const route = request.routeOptions.url;
  if (!route) return;
  try {
    if (route === '/api/auth/sign-in' && statusCode === 429) {
      await audit.record({ action: 'sign_in.rate_limited', courtId: null, actorUserId: null, ip: request.ip });
      return;
    }
    if (!writes.has(request.method) || !request.actor) return;
    if (request.actor.role !== 'admin' && !administrative(request)) return;
    if (auditedByService.some((pattern) => pattern.test(route)) && statusCode < 400) return;
    await audit.record({
      action: 'admin.action',
      courtId: request.actor.courtId,
      actorUserId: request.actor.userId,
      // The URL (with its ids) only of a change that was made: a refused one may name another court's records,
      // which this court's trail must not show back.
      detail: { method: request.method, route, ...(statusCode < 400 ? { url: maskUrl(request.url) } : {}), status: statusCode },
      ip: request.ip,
    });
  } catch (err) {
    logger.error({ err, route }, 'could not write the audit entry of an admin action');
  }
}
