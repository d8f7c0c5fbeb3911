import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { userRoles, type UserRole } from '../../platform/user-roles.ts';
import { SessionStore } from '../auth/session-store.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';
import { installAccessControl } from './access.ts';

const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '10000', HOTLINE_PUBLIC_RATE_LIMIT: '10000' });
let court: SeededCourt;
const cookies = new Map<UserRole, string>();
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  for (const role of userRoles) cookies.set(role, await sessionCookieFor(api.deps.db, userOf(role).id));
});

function userOf(role: UserRole) {
  return Object.values(court.users).find((u) => u.role === role)!;
}

/** A concrete path for a route pattern, using ids of the caller's own court. */
function pathFor(url: string): string {
  return url
    .replace(':userId', court.users.otherJudge.id)
    .replace(':departmentId', court.departmentIds[1])
    .replace(/:[A-Za-z]+/g, 'x')
    .replace('*', 'x');
}

describe('role-based access: every route with every role', () => {
  it('covers the routes registered on the server (derived from Fastify, so new routes are walked too)', () => {
    const urls = api.deps.http.routeAccess.map((r) => r.url);
    expect(urls).toEqual(expect.arrayContaining(['/api/auth/sign-in', '/api/users/:userId', '/api/realtime', '/docs', '/admin/queues', '/api/telephony/calls/:callId/recording']));
    expect(api.deps.http.routeAccess.length).toBeGreaterThan(20);
  });

  it('refuses anonymous callers on every non-public route, forbids roles not listed, and lets listed roles through', async () => {
    const failures: string[] = [];
    for (const route of api.deps.http.routeAccess) {
      const path = pathFor(route.url);
      const anonymous = await call(api.url, route.method, path);
      if (route.roles === 'public') {
        if ([401, 403].includes(anonymous.status)) failures.push(`anonymous ${route.method} ${route.url} → ${anonymous.status} (public)`);
      } else if (anonymous.status !== 401 || anonymous.body?.code !== 'unauthenticated') {
        failures.push(`anonymous ${route.method} ${route.url} → ${anonymous.status}`);
      }
      for (const role of userRoles) {
        // Sign-out ends the session it is called with, so each call gets a fresh one.
        const cookie = route.url === '/api/auth/sign-out' ? await sessionCookieFor(api.deps.db, userOf(role).id) : cookies.get(role)!;
        const result = await call(api.url, route.method, path, { cookie });
        const allowed = route.roles === 'public' || route.roles.includes(role);
        if (allowed && [401, 403].includes(result.status)) failures.push(`${role} ${route.method} ${route.url} → ${result.status}, expected allowed`);
        if (!allowed && (result.status !== 403 || result.body?.code !== 'forbidden')) failures.push(`${role} ${route.method} ${route.url} → ${result.status}, expected 403`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('gives admins alone the queue board and the user administration', () => {
    const rolesOf = (method: string, url: string) => api.deps.http.routeAccess.find((r) => r.method === method && r.url === url)?.roles;
    expect(rolesOf('GET', '/admin/queues')).toEqual(['admin']);
    expect(rolesOf('POST', '/api/users')).toEqual(['admin']);
    expect(rolesOf('GET', '/docs')).toBe('public');
  });
});

describe('fail closed at start-up', () => {
  it('refuses to start when a route declares no roles, and names the route', async () => {
    const app = Fastify();
    installAccessControl(app, new SessionStore(api.deps.db, { ttlMinutes: 1 }));
    app.get('/api/forgotten', async () => 'oops');
    await expect(app.ready()).rejects.toThrow(/GET \/api\/forgotten declares no valid roles/);
  });

  it('refuses a role that does not exist', async () => {
    const app = Fastify();
    installAccessControl(app, new SessionStore(api.deps.db, { ttlMinutes: 1 }));
    app.get('/api/typo', { config: { roles: ['operater' as UserRole] } }, async () => 'oops');
    await expect(app.ready()).rejects.toThrow(/\/api\/typo/);
  });
});
