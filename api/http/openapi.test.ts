import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';

const api = await useApi({ HOTLINE_PUBLIC_RATE_LIMIT: '5' });
let court: SeededCourt;
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
});

describe('OpenAPI, docs page and queue board', () => {
  it('describes every product route, generated from the zod schemas', async () => {
    const spec = await call(api.url, 'GET', '/docs/json');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    const documented = Object.keys(spec.body.paths);
    for (const route of api.deps.http.routeAccess.filter((r) => r.url.startsWith('/api/'))) {
      expect(documented, route.url).toContain(route.url.replace(/:(\w+)/g, '{$1}'));
    }
    const signIn = spec.body.paths['/api/auth/sign-in'].post;
    expect(signIn.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
    expect(signIn.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });

  it('serves the docs page at /docs, and rate-limits public endpoints per address with the error shape', async () => {
    const page = await call(api.url, 'GET', '/docs/');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('swagger');
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 8; i++) {
      const res = await call(api.url, 'GET', '/docs/json');
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses).toContain(429);
    expect(limited?.body).toMatchObject({ code: 'rate_limited', message_zh: expect.stringContaining('秒') });
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    // Signed-in routes are not limited by address.
    const cookie = await sessionCookieFor(api.deps.db, court.users.operator.id);
    for (let i = 0; i < 8; i++) expect((await call(api.url, 'GET', '/api/auth/me', { cookie })).status).toBe(200);
  });

  it('shows admins the queue board with the hotline’s queues, and nobody else', async () => {
    api.deps.queues.queue('board-test');
    const admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
    const board = await call(api.url, 'GET', '/admin/queues', { cookie: admin });
    expect(board.status).toBe(200);
    expect(String(board.body)).toContain('<html');
    const queues = await call(api.url, 'GET', '/admin/queues/api/queues', { cookie: admin });
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name)).toContain('board-test');
    const manager = await sessionCookieFor(api.deps.db, court.users.manager.id);
    expect((await call(api.url, 'GET', '/admin/queues/api/queues', { cookie: manager })).status).toBe(403);
  });
});
