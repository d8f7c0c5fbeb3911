import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { userRoles, type UserRole } from '../../platform/user-roles.ts';
import { sessions } from '../auth/auth.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type CallResult, type SeededCourt } from '../testing/fixtures.ts';
import type { RouteAccess } from '../../platform/http/route-access.ts';

const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '100000', HOTLINE_PUBLIC_RATE_LIMIT: '100000' });
let court: SeededCourt;
let other: SeededCourt;
const cookies = new Map<UserRole, string>();
let expiredCookie: string;

// Failed sign-ins are recorded by design (audit trail, lockout counters); every other table of every capability
// (found in the catalogue, so a new capability's tables are watched too) must stay as it was.
const recordedByDesign = ['api.audit_log', 'api.sign_in_failures'];

async function watchedTables(): Promise<string[]> {
  const { rows } = await api.deps.db.execute<{ name: string }>(
    sql`select table_schema || '.' || table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema', 'drizzle') order by 1`,
  );
  return rows.map((r) => r.name).filter((name) => !recordedByDesign.includes(name));
}

async function snapshot(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of await watchedTables()) {
    // An expired session is removed by every API process's sweep (api/auth/presence-follows-session.ts) whenever it
    // runs: only live sessions are compared.
    const live = table === 'api.sessions' ? ' where t.expires_at > now()' : '';
    const { rows } = await api.deps.db.execute<{ digest: string | null; n: number }>(
      sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest, count(*)::int as n from ${table} t${live}`),
    );
    result[table] = `${rows[0]?.n}:${rows[0]?.digest}`;
  }
  return result;
}

beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  other = await seedCourt(api.deps.db);
  for (const role of userRoles) cookies.set(role, await sessionCookieFor(api.deps.db, Object.values(court.users).find((u) => u.role === role)!.id));
  expiredCookie = await sessionCookieFor(api.deps.db, court.users.admin.id);
  await api.deps.db.execute(sql`update ${sessions} set expires_at = now() - interval '1 minute' where user_id = ${court.users.admin.id} and expires_at > now() + interval '50 minutes' and token_hash = (select token_hash from ${sessions} where user_id = ${court.users.admin.id} order by created_at desc limit 1)`);
});

const productRoutes = () => api.deps.http.routeAccess.filter((r) => r.url.startsWith('/api/') && r.url !== '/api/auth/sign-out');
const roleFor = (route: RouteAccess): UserRole => (route.roles === 'public' || route.roles.includes('admin') ? 'admin' : route.roles[0]!);

const hostile = [
  "1' OR '1'='1",
  "'; DROP TABLE platform.users; --",
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  '%00',
  '\u202e\u0000',
  '𝕏'.repeat(50),
  'a'.repeat(5000),
  '${jndi:ldap://127.0.0.1/x}',
];

function expectRefused(result: CallResult, label: string, failures: string[]): void {
  const shaped = result.body && typeof result.body.code === 'string' && typeof result.body.message === 'string' && typeof result.body.message_zh === 'string';
  if (result.status < 400 || result.status >= 500 || !shaped) failures.push(`${label} → ${result.status} ${JSON.stringify(result.body).slice(0, 160)}`);
}

describe('bad input at every product route', () => {
  it('refuses hostile path parameters, ids of another court, hostile and unknown query fields, with 4xx and the error shape', async () => {
    const before = await snapshot();
    // Every capability's tables are watched (platform, api, tickets…), not only the api's.
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['platform.users', 'api.sessions', 'tickets.tickets', 'tickets.ticket_events', 'tickets.outbox', 'telephony.recordings']));
    expect(productRoutes().map((r) => r.url)).toContain('/api/telephony/calls/:callId/recording');
    const failures: string[] = [];
    for (const route of productRoutes()) {
      const cookie = cookies.get(roleFor(route))!;
      const params = route.url.match(/:[A-Za-z]+/g) ?? [];
      for (const param of params) {
        for (const value of [...hostile, other.users.judge.id, other.departmentIds[0], '00000000-0000-0000-0000-000000000000']) {
          const path = route.url.replace(param, encodeURIComponent(value)).replace(/:[A-Za-z]+/g, court.users.judge.id);
          expectRefused(await call(api.url, route.method, path, { cookie, body: route.method === 'GET' ? undefined : { name: 'x' } }), `${route.method} ${path.slice(0, 80)}`, failures);
        }
      }
      const base = route.url.replace(/:[A-Za-z]+/g, court.users.judge.id);
      for (const query of ['unknownField=1', '__proto__[admin]=1', 'constructor[prototype][x]=1', ...hostile.slice(0, 5).map((h) => `role=${encodeURIComponent(h)}&limit=${encodeURIComponent(h)}`)]) {
        expectRefused(await call(api.url, route.method, `${base}?${query}`, { cookie }), `${route.method} ${base}?${query.slice(0, 40)}`, failures);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses malformed JSON, wrong types, unknown fields, prototype pollution, unicode tricks and huge bodies', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const bodies: Array<[string, string | object, Record<string, string>?]> = [
      ['malformed json', '{"username": "x",'],
      ['truncated', '{'],
      ['empty json', ''],
      ['not an object', '[1,2,3]'],
      ['a bare string', '"hello"'],
      ['wrong content type', 'username=x&password=y', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['text/plain', 'hello', { 'content-type': 'text/plain' }],
      ['wrong types', { username: 123, password: ['x'], name: { nested: true }, role: 7, displayName: false, active: 'yes', departmentId: 42 }],
      ['unknown field', { name: 'ok', username: 'ok-user', password: 'a long password', displayName: 'ok', role: 'operator', isSuperAdmin: true }],
      ['prototype pollution', '{"__proto__": {"role": "admin"}, "name": "x"}'],
      ['constructor pollution', '{"constructor": {"prototype": {"role": "admin"}}}'],
      ['lone surrogate', '{"name": "\\ud800", "displayName": "\\udfff", "username": "u-1", "password": "a long password", "role": "operator"}'],
      ['nul character', { name: 'a\u0000b', displayName: 'a\u0000b', username: 'nul\u0000', password: 'a long password', role: 'operator' }],
      ['bidi override', { name: '\u202eevil', displayName: '\u202eevil', username: 'bidi\u202e', password: 'a long password', role: 'operator' }],
      ['sql in constrained fields', { username: "admin'--", password: 'a long password', role: "admin' OR '1'='1", displayName: 'x', departmentId: "1' OR '1'='1", name: 'x', extension: "8001'; DROP TABLE x;--" }],
      ['script in constrained fields', { username: '<script>', sipEndpoint: '<img src=x onerror=alert(1)>', displayName: 'x', role: 'operator', password: 'a long password', extension: '<b>1</b>' }],
      ['over the route limit (100 KB)', { name: 'x'.repeat(100 * 1024) }],
      ['over the server limit (2 MB)', { name: 'x'.repeat(2 * 1024 * 1024) }],
      ['deeply nested', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
    ];
    for (const route of productRoutes().filter((r) => r.method !== 'GET')) {
      const cookie = cookies.get(roleFor(route))!;
      const path = route.url.replace(/:[A-Za-z]+/g, court.users.judge.id);
      for (const [label, body, headers] of bodies) {
        // The sign-in route's "unknown user" answer (401) is right for some of these; it is still 4xx with the shape.
        expectRefused(await call(api.url, route.method, path, { cookie, body, ...(headers ? { headers } : {}) }), `${route.method} ${route.url} ${label}`, failures);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses missing, forged, expired and oversized session cookies on every signed-in route', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    const forged = ['hotline_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', `hotline_session=${'x'.repeat(4000)}`, "hotline_session=' OR 1=1 --", expiredCookie, 'hotline_session='];
    for (const route of api.deps.http.routeAccess.filter((r) => r.roles !== 'public')) {
      const path = route.url.replace(/:[A-Za-z]+/g, court.users.judge.id).replace('*', 'x');
      for (const cookie of [undefined, ...forged]) {
        const result = await call(api.url, route.method, path, cookie ? { cookie } : {});
        if (result.status !== 401 || result.body?.code !== 'unauthenticated') failures.push(`${route.method} ${route.url} cookie=${cookie?.slice(0, 30)} → ${result.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('stores injection-looking free text verbatim as data, never as code', async () => {
    const admin = cookies.get('admin')!;
    const name = "Robert'); DROP TABLE platform.users;-- <script>alert(1)</script>";
    const created = await call(api.url, 'POST', '/api/departments', { cookie: admin, body: { name } });
    expect(created.status).toBe(201);
    const list = await call(api.url, 'GET', '/api/departments', { cookie: admin });
    expect(list.body.map((d: { name: string }) => d.name)).toContain(name);
    expect((await call(api.url, 'GET', '/api/users', { cookie: admin })).status).toBe(200); // the users table is still there
  });

  it('is still up and ready after all of it', async () => {
    expect((await call(api.url, 'GET', '/healthz')).status).toBe(200);
    expect((await call(api.url, 'GET', '/readyz')).status).toBe(200);
  });
});
