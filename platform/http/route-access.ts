/**
 * Route access, as every capability's routes declare it: the roles a route allows (`config.roles`, required),
 * and the signed-in user the api capability's access hook sets on the request (`request.actor`). The Fastify
 * type augmentation here applies to every route of the hotline; the hook itself is the api capability's
 * (api/http/access.ts).
 */
import type { Actor, UserRole } from '../user-roles.ts';

/** Who may call a route: the roles listed, or anyone (`'public'`, rate-limited per client address). */
export type RouteRoles = readonly UserRole[] | 'public';

/** A route the access hook checked, with the roles it allows (for tests and docs). */
export interface RouteAccess {
  method: string;
  url: string;
  roles: RouteRoles;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route registered after the api capability; a route without it stops start-up. */
    roles?: RouteRoles;
  }
  interface FastifyRequest {
    /** The signed-in user. Set on every route whose `roles` is a list; never on public routes. */
    actor: Actor;
    /** SHA-256 of the session token (to end this session). Set with `actor`. */
    sessionKey: string;
  }
  interface FastifyInstance {
    /** Every route the api capability checked, with the roles it allows (for tests and docs). */
    routeAccess: RouteAccess[];
  }
}
