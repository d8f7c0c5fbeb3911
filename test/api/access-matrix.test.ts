/**
 * Route × role × court matrix, generated from the OpenAPI document: every documented route, every role, in the
 * user's own court and against another court's records, and without a session. The expected access is each
 * route's own `config.roles` (gathered by the access hook); a documented route that declares none, or a route
 * that is not documented, fails the test, so a new route cannot ship unchecked. Each walk takes a few seconds alone;
 * its timeout leaves room for a busy machine running every test file at once.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { userRoles, type UserRole } from '../../platform/user-roles.ts';
import { call, seedCourt, sessionCookieFor, useApi, type CallResult, type SeededCourt } from '../../api/testing/fixtures.ts';
import { bodyVariants, exampleOf, isUuid, operationsOf, pathOf, snapshot, changedTables, watchedTables, type Operation } from './openapi-routes.ts';

const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '100000', HOTLINE_PUBLIC_RATE_LIMIT: '100000' });

interface CourtData {
  seeded: SeededCourt;
  cookies: Map<UserRole, string>;
  marker: string;
  ticketId: string;
  entryId: string;
  departmentId: string;
  callerNumber: string;
}

let operations: Operation[];
let undeclared: string[];
let undocumented: string[];
let own: CourtData;
let other: CourtData;

const userOf = (court: SeededCourt, role: UserRole) => Object.values(court.users).find((u) => u.role === role)!;

async function seedWithData(callerNumber: string): Promise<CourtData> {
  const seeded = await seedCourt(api.deps.db);
  const cookies = new Map<UserRole, string>();
  for (const role of userRoles) cookies.set(role, await sessionCookieFor(api.deps.db, userOf(seeded, role).id));
  const marker = `MARK${randomUUID().slice(0, 8)}`;
  const created = async (path: string, role: UserRole, body: object) => {
    const result = await call(api.url, 'POST', path, { cookie: cookies.get(role)!, body });
    if (result.status !== 201 && result.status !== 200) throw new Error(`seeding ${path}: ${result.status} ${JSON.stringify(result.body)}`);
    return result.body.id as string;
  };
  const departmentId = await created('/api/departments', 'admin', { name: `${marker} 信访室` });
  const ticketId = await created('/api/tickets', 'operator', { summary: `${marker} 查询案件进度`, callerNumber, callerName: `${marker}当事人` });
  const entryId = await created('/api/knowledge', 'admin', { category: 'general', question: `${marker} 如何立案？`, answer: `${marker} 到立案庭窗口` });
  return { seeded, cookies, marker, ticketId, entryId, departmentId, callerNumber };
}

/** The ids a request carries, by field name, all from `court`. */
function idsOf(court: CourtData) {
  return (field: string): string | undefined => {
    const u = court.seeded.users;
    if (/^ticketId$/.test(field)) return court.ticketId;
    if (/^entryId$/.test(field)) return court.entryId;
    if (/departmentId$/i.test(field)) return court.seeded.departmentIds[0];
    if (/^(handlerUserId|judgeId)$/.test(field)) return u.judge.id;
    if (/^operatorId$/.test(field)) return u.operator.id;
    if (/^userId$/.test(field)) return u.otherJudge.id;
    if (/^callerNumber$/.test(field)) return court.callerNumber;
    return undefined;
  };
}

interface Built {
  path: string;
  body: unknown;
  /** Carries at least one of the court's own records' ids (path, query or body). */
  carriesIds: boolean;
}

/** The requests to make of a route, with ids of `court`: one per body variant. */
function build(op: Operation, court: CourtData): Built[] {
  if (op.method === 'GET' || op.method === 'DELETE') return [buildOne(op, court, undefined)];
  return bodyVariants(op.body, () => undefined).map((_, i) => buildOne(op, court, i));
}

function buildOne(op: Operation, court: CourtData, variant: number | undefined): Built {
  const courtIds = idsOf(court);
  let carriesIds = false;
  const ids = (field: string) => {
    const id = courtIds(field);
    if (id !== undefined) carriesIds = true;
    return id;
  };
  const value = (name: string, schema: Parameters<typeof exampleOf>[0]) => {
    if (name === 'callerNumber') return ids(name)!;
    if (name === 'reportId') return '1';
    return String(exampleOf(schema, name, ids, true));
  };
  let path = pathOf(op.url, (name) => value(name, op.params.find((p) => p.name === name)?.schema ?? {}));
  const query = new URLSearchParams();
  for (const q of op.query) if (q.required || isUuid(q.schema)) query.set(q.name, value(q.name, q.schema));
  if ([...query].length) path += `?${query}`;
  const body = variant === undefined ? undefined : bodyVariants(op.body, courtIds)[variant];
  const text = JSON.stringify(body ?? null);
  return { path, body, carriesIds: carriesIds || secretsOf(court).some((id) => text.includes(id)) };
}

const allowed = (op: Operation, role: UserRole) => op.roles === 'public' || op.roles.includes(role);
const describeCall = (who: string, op: Operation, r: CallResult) => `${who} ${op.method} ${op.url} → ${r.status} ${JSON.stringify(r.body).slice(0, 140)}`;
const cookieFor = async (court: CourtData, op: Operation, role: UserRole) =>
  op.url === '/api/auth/sign-out' ? sessionCookieFor(api.deps.db, userOf(court.seeded, role).id) : court.cookies.get(role)!;

/** Everything of a court another court's user must never see. */
function secretsOf(court: CourtData): string[] {
  return [court.marker, court.seeded.courtId, court.ticketId, court.entryId, court.departmentId, ...court.seeded.departmentIds, ...Object.values(court.seeded.users).map((u) => u.id)];
}

beforeAll(async () => {
  own = await seedWithData('13900000001');
  other = await seedWithData('13900000002');
  ({ operations, undeclared, undocumented } = await operationsOf(api.url, api.deps.http.routeAccess));
});

describe('route × role × court matrix (from the OpenAPI document and each route’s config.roles)', () => {
  it('has an expected access (config.roles) for every documented route, and documents every /api route', () => {
    expect(undeclared).toEqual([]);
    expect(undocumented).toEqual([]);
    expect(operations.length).toBeGreaterThan(60);
    // A sample of the table, so a change of a route's roles is a visible change here.
    const rolesOf = (m: string, u: string) => operations.find((o) => o.method === m && o.url === u)?.roles;
    expect(rolesOf('POST', '/api/users')).toEqual(['admin']);
    expect(rolesOf('GET', '/api/kpi/figures')).toEqual([...userRoles]);
    expect(rolesOf('POST', '/api/auth/sign-in')).toBe('public');
  });

  it('answers 401 without a session (or a session of nobody) on every non-public route', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.roles !== 'public')) {
      const { path, body } = build(op, own)[0]!;
      for (const cookie of [undefined, 'hotline_session=not-a-session']) {
        const result = await call(api.url, op.method, path, { ...(cookie ? { cookie } : {}), body });
        if (result.status !== 401 || result.body?.code !== 'unauthenticated') failures.push(describeCall(`anonymous(${cookie ?? 'none'})`, op, result));
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps every court’s records from every role of another court: refused (4xx) or empty, never shown, never changed', { timeout: 120_000 }, async () => {
    const tables = await watchedTables(api.deps.db);
    const before = await snapshot(api.deps.db, tables);
    const secrets = secretsOf(own);
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations.filter((o) => o.roles !== 'public' && o.url !== '/api/auth/sign-out')) {
      for (const { path, body, carriesIds } of build(op, own)) {
      // A write without any of the court's ids acts on the caller's own court (checked in the own-court walk).
      if (op.method !== 'GET' && !carriesIds) continue;
      for (const role of userRoles) {
        const result = await call(api.url, op.method, path, { cookie: await cookieFor(other, op, role), body });
        checked++;
        if (result.status >= 500) failures.push(describeCall(`other court's ${role} (5xx)`, op, result));
        else if (!allowed(op, role)) {
          if (result.status !== 403 || result.body?.code !== 'forbidden') failures.push(describeCall(`other court's ${role} (expected 403)`, op, result));
        } else if (result.status === 401) failures.push(describeCall(`other court's ${role} (401 with a session)`, op, result));
        else if (result.status < 400) {
          if (op.method !== 'GET') failures.push(describeCall(`other court's ${role} (write accepted)`, op, result));
          const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
          const seen = secrets.filter((s) => text.includes(s));
          if (seen.length) failures.push(`${describeCall(`other court's ${role} (sees ${seen.length} of the court's records)`, op, result)}`);
        }
      }
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(failures).toEqual([]);
    expect(changedTables(before, await snapshot(api.deps.db, tables))).toEqual([]);
  });

  it('lets each role listed reach its own court’s records, and forbids (403) every role not listed', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    // Reads first, then writes: a write (void, delete) may end the record the next route needs.
    const ordered = [...operations.filter((o) => o.method === 'GET'), ...operations.filter((o) => o.method !== 'GET' && o.method !== 'DELETE'), ...operations.filter((o) => o.method === 'DELETE')];
    for (const op of ordered.filter((o) => o.roles !== 'public')) {
      for (const { path, body } of build(op, own)) {
      for (const role of userRoles) {
        const result = await call(api.url, op.method, path, { cookie: await cookieFor(own, op, role), body });
        if (result.status >= 500) failures.push(describeCall(`${role} (5xx)`, op, result));
        else if (!allowed(op, role)) {
          if (result.status !== 403 || result.body?.code !== 'forbidden') failures.push(describeCall(`${role} (expected 403)`, op, result));
        } else if (result.status === 401 || result.body?.code === 'forbidden') failures.push(describeCall(`${role} (listed, yet refused)`, op, result));
      }
      }
    }
    expect(failures).toEqual([]);
  });
});
