import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import { constants as zlib } from 'node:zlib';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Capability } from '../platform/deps.ts';
import { registerAuditRoutes } from './admin/audit.routes.ts';
import { registerCourtRoutes } from './admin/courts.routes.ts';
import { registerDepartmentRoutes } from './admin/departments.routes.ts';
import { DepartmentsService } from './admin/departments.service.ts';
import { registerJudgeRoutes } from './admin/judges.routes.ts';
import { registerUserRoutes } from './admin/users.routes.ts';
import { UsersService } from './admin/users.service.ts';
import { installAdminActionAudit } from './audit/admin-actions.ts';
import { AuditLog } from './audit/audit-log.ts';
import { registerAuthRoutes } from './auth/auth.routes.ts';
import { AuthService } from './auth/auth.service.ts';
import { Lockout } from './auth/lockout.ts';
import { installPasswordChangeGate } from './auth/password-change-gate.ts';
import { followSessions } from './auth/presence-follows-session.ts';
import { SessionStore } from './auth/session-store.ts';
import { warnWhenNoAdmin } from './bootstrap/first-admin-notice.ts';
import { registerLocalControl } from './bootstrap/local-control.ts';
import { installAccessControl } from './http/access.ts';
import { installErrorHandler } from './http/error-handler.ts';
import { rejectUndeclaredInput } from './http/strict-input.ts';
import { errors } from '../platform/http/errors.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerQueueBoard } from './http/queue-board.ts';
import { serializerCompiler } from './http/response-serializer.ts';
import { KnowledgeService } from './knowledge/knowledge.service.ts';
import { registerKnowledgeRoutes } from './knowledge/knowledge.routes.ts';
import { ConsoleWatch } from './realtime/console-watch.ts';
import { RealtimeHub } from './realtime/hub.ts';
import { registerRealtimeRoutes } from './realtime/realtime.routes.ts';

declare module '../platform/deps.ts' {
  interface Services {
    /** The audit trail (sign-ins, permission changes, recording playbacks), in processes with the api role. */
    audit: AuditLog;
  }
}

/** Body limit of API routes that do not set their own (the server-wide limit is 1 MiB). */
export const defaultBodyLimit = 64 * 1024;

/**
 * The api capability: sign-in, roles and court scoping, the schema-first routes, the websocket hub,
 * the OpenAPI docs and the queue board. Runs only in a process with the `api` role, and must be
 * registered before any capability that adds routes (hotline.ts), so its checks cover them.
 */
export const api: Capability = {
  name: 'api',
  async register(deps) {
    if (!deps.roles.has('api')) return;
    const { http, db, config } = deps;
    const logger = deps.logger.child({ capability: 'api' });

    const sessions = new SessionStore(db, { ttlMinutes: config.api.sessionTtlMinutes });
    const audit = new AuditLog(db);
    deps.services.audit = audit;
    const lockout = new Lockout(db, { attempts: config.api.lockoutAttempts, minutes: config.api.lockoutMinutes });
    const auth = new AuthService(db, sessions, lockout, audit, logger);
    // Presence follows the person: telephony's service (registered after this capability) is asked at run time.
    const stopFollowing = followSessions(sessions, () => deps.services.telephony, logger, sessionSweepMs(config.console.pauseAfterSeconds));
    const consoleWatch = new ConsoleWatch({ redis: deps.redis, prefix: config.redis.prefix, graceMs: config.console.pauseAfterSeconds * 1000, port: () => deps.services.telephony, logger });
    const hub = new RealtimeHub(deps.events, sessions, logger, { consoleWatch });

    http.setValidatorCompiler(validatorCompiler);
    http.setSerializerCompiler(serializerCompiler);
    installErrorHandler(http);
    await http.register(cookie);
    // Before access control: its onRequest hook marks upgrade requests, so a refused upgrade's socket is closed.
    await http.register(websocket, { options: { maxPayload: 4096 } });
    installAccessControl(http, sessions);
    installPasswordChangeGate(http, auth);
    installAdminActionAudit(http, audit, logger);
    http.addHook('onRoute', (route) => {
      route.bodyLimit ??= defaultBodyLimit;
      rejectUndeclaredInput(route);
      // Signed-in routes get no rate-limit hook at all (rather than one that runs and lets them pass).
      if (Array.isArray(route.config?.roles) && route.config.rateLimit === undefined) route.config.rateLimit = false;
    });
    await http.register(rateLimit, {
      global: true,
      max: config.api.publicRateLimit,
      timeWindow: '1 minute',
      redis: deps.redis,
      nameSpace: `${config.redis.prefix}:ratelimit:`,
      // Only public routes are limited by address; signed-in routes are limited by who may call them. Routes
      // declared with a role list opt out above; this catches those whose roles a wrapper sets later (withRoles).
      allowList: (request) => request.routeOptions.config.roles !== 'public',
      errorResponseBuilder: (_request, context) => errors.rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
    });
    // Answers of 1 KiB or more go out compressed as the client accepts (Brotli at a fast level: these are made per
    // request). The console's files are compressed once at build time instead (agent-ui/precompress.ts); a reply
    // that already carries a Content-Encoding is left alone.
    await http.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } } });
    await registerOpenApi(http);

    const app = http.withTypeProvider<ZodTypeProvider>();
    registerAuthRoutes(app, { auth, signInRateLimit: config.api.signInRateLimit, onSignOut: (key) => hub.closeSession(key) });
    registerCourtRoutes(app, db, audit);
    registerDepartmentRoutes(app, new DepartmentsService(db, audit));
    registerUserRoutes(app, new UsersService(db, sessions, lockout, audit));
    registerJudgeRoutes(app, db);
    registerAuditRoutes(app, audit);
    registerKnowledgeRoutes(app, new KnowledgeService(db));
    registerLocalControl(app, deps, audit);
    registerRealtimeRoutes(app, hub, config.http.allowedOrigins);
    await registerQueueBoard(http, deps.queues);

    await hub.start();
    consoleWatch.start();
    deps.lifecycle.onDrain('websockets', async () => {
      stopFollowing();
      consoleWatch.stop();
      await hub.close();
    });
    await warnWhenNoAdmin(db, logger);
  },
};

/** How often expired sessions are looked for: as often as lost consoles are, within 1 to 15 s. */
function sessionSweepMs(pauseAfterSeconds: number): number {
  return Math.max(1000, Math.min(15_000, pauseAfterSeconds * 250));
}
