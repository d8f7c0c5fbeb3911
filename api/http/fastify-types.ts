/**
 * Type augmentation for every route of the hotline (import nothing from here; it applies globally once
 * api/plugin.ts is in the program).
 */
import type { Actor, UserRole } from '../../platform/user-roles.ts';
import type { RouteAccess } from './access.ts';

/** Who may call a route: the roles listed, or anyone (`'public'`, rate-limited per client address). */
export type RouteRoles = readonly UserRole[] | 'public';

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
