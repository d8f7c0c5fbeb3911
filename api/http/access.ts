import type { FastifyInstance, FastifyPluginAsync, FastifyPluginCallback, RouteOptions } from 'fastify';
import { userRoles, type Actor } from '../../platform/user-roles.ts';
import type { SessionStore } from '../auth/session-store.ts';
import { sendError } from './error-handler.ts';
import { errors } from '../../platform/http/errors.ts';
import type { RouteAccess, RouteRoles } from '../../platform/http/route-access.ts';

export const sessionCookie = 'hotline_session';

/**
 * Role-based access for every route registered after it: each must declare `config.roles` (a list of
 * user roles, or 'public'); start-up fails on a route that does not. One onRequest hook authenticates
 * the session cookie and enforces the list, before the body is even read.
 */
export function installAccessControl(app: FastifyInstance, sessions: SessionStore): void {
  // url and method captured at onRoute: Fastify reuses an options object for a prefix's "/docs" and "/docs/".
  const declared: Array<{ options: RouteOptions; url: string; methods: string[] }> = [];
  app.decorate('routeAccess', [] as RouteAccess[]);
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('sessionKey', '');

  app.addHook('onRoute', (options) => void declared.push({ options, url: options.url, methods: ([] as string[]).concat(options.method) }));
  app.addHook('onReady', async () => {
    // Checked at ready, not at onRoute: wrappers (withRoles) set roles in a later onRoute hook.
    for (const { options, url, methods } of declared) {
      const roles = options.config?.roles;
      if (!isValidRoles(roles)) {
        throw new Error(
          `route ${methods.join(',')} ${url} declares no valid roles: add config: { roles: ['operator', …] } or config: { roles: 'public' }`,
        );
      }
      for (const method of methods) if (method !== 'HEAD') app.routeAccess.push({ method, url, roles });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const roles = request.routeOptions.config.roles;
    // Routes registered before the api capability (/healthz, /readyz, /metrics) and 404s.
    if (roles === undefined || roles === 'public') return;
    const token = request.cookies[sessionCookie];
    const session = token ? await sessions.authenticate(token) : undefined;
    // Replies here rather than throwing, so third-party plugins' own error handlers cannot change the shape.
    if (!session) {
      if (token) reply.clearCookie(sessionCookie, { path: '/' });
      return sendError(reply, errors.unauthenticated());
    }
    if (!roles.includes(session.actor.role)) return sendError(reply, errors.forbidden());
    request.actor = session.actor;
    request.sessionKey = session.key;
  });
}

function isValidRoles(roles: unknown): roles is RouteRoles {
  return roles === 'public' || (Array.isArray(roles) && roles.length > 0 && roles.every((r) => (userRoles as readonly string[]).includes(r)));
}

/** Wraps a third-party plugin (docs page, queue board) so every route it adds gets `roles` unless it set its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wraps plugins of any options type
export function withRoles(roles: RouteRoles, plugin: FastifyPluginAsync<any> | FastifyPluginCallback<any>): FastifyPluginAsync<any> {
  return async (instance, { prefix: _applied, ...options }) => {
    instance.addHook('onRoute', (route) => {
      route.config = { ...route.config, roles: route.config?.roles ?? roles };
    });
    await instance.register(plugin, options);
  };
}

