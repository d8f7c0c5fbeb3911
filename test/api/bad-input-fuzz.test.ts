/**
 * Property-based bad input at every route of the OpenAPI document (fast-check): each route is driven, as a
 * signed-in user of a role it allows, with requests built from its own schemas where each path parameter, query
 * field and body property is either a valid value or a generated bad one (wrong types, huge and negative
 * numbers, out-of-range and impossible dates, long strings, odd Unicode, bad and foreign ids), properties go
 * missing and unknown ones appear. The property: never a 5xx, and a refused request (4xx) changes no table.
 *
 * Seeded and bounded: FUZZ_RUNS requests per route (default 20) from FUZZ_SEED (default 12368, mixed with the
 * route's name, so adding a route changes no other route's inputs). Raise FUZZ_RUNS for a longer search.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../platform/user-roles.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { changedTables, exampleOf, operationsOf, rowCounts, snapshot, watchedTables, type JsonSchema, type Operation } from './openapi-routes.ts';

const runs = Number(process.env.FUZZ_RUNS ?? 20);
const baseSeed = Number(process.env.FUZZ_SEED ?? 12368);

const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '100000', HOTLINE_PUBLIC_RATE_LIMIT: '100000' });
let court: SeededCourt;
let other: SeededCourt;
let ticketId: string;
let operations: Operation[];
let tables: string[];
const cookies = new Map<UserRole, string>();
/** Sessions of a third court's users, for the routes on the signed-in user's own account (a password change with a
 * wrong current password counts towards the lockout, which ends the user's sessions). */
const ownAccountCookies = new Map<UserRole, string>();

beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  other = await seedCourt(api.deps.db);
  for (const [, user] of Object.entries(court.users)) if (!cookies.has(user.role)) cookies.set(user.role, await sessionCookieFor(api.deps.db, user.id));
  const spare = await seedCourt(api.deps.db);
  for (const [, user] of Object.entries(spare.users)) if (!ownAccountCookies.has(user.role)) ownAccountCookies.set(user.role, await sessionCookieFor(api.deps.db, user.id));
  const ticket = await call(api.url, 'POST', '/api/tickets', { cookie: cookies.get('operator')!, body: { summary: '查询案件进度', callerNumber: '13900000003' } });
  if (ticket.status !== 201) throw new Error(`seeding a ticket: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  ticketId = ticket.body.id;
  ({ operations } = await operationsOf(api.url, api.deps.http.routeAccess));
  tables = await watchedTables(api.deps.db);
});

/** Valid ids of the signed-in user's own court, by field name. */
function ownIds(field: string): string | undefined {
  const u = court.users;
  if (field === 'ticketId') return ticketId;
  if (/departmentId$/i.test(field)) return court.departmentIds[0];
  if (/^(handlerUserId|judgeId)$/.test(field)) return u.judge.id;
  if (field === 'operatorId') return u.operator.id;
  if (field === 'userId') return u.otherJudge.id;
  return undefined;
}

/** The role to fuzz a route as: the widest one it allows. */
function roleFor(op: Operation): UserRole | undefined {
  if (op.roles === 'public') return undefined;
  for (const role of ['admin', 'manager', 'department_head', 'operator', 'judge'] as const) if (op.roles.includes(role)) return role;
  return op.roles[0];
}

// ---- generated bad values ----------------------------------------------------------------------------

const pad = (n: number, width: number) => (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(width, '0');
const badYear = fc.oneof(fc.constantFrom(0, 1, 999, 1899, 1969, 1970, 2101, 9999, 10000, 275760, -1), fc.integer({ min: -300000, max: 300000 }));
const anyDate = fc
  .record({ year: badYear, month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }), hour: fc.integer({ min: 0, max: 25 }), offset: fc.constantFrom('Z', '+08:00', '-14:00', '+23:59', '+24:00', '') })
  .chain(({ year, month, day, hour, offset }) =>
    fc.constantFrom(
      `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:00:00${offset}`,
      `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`,
      `${pad(year, 4)}-01-01T00:00:00${offset || 'Z'}`,
      `${pad(year, 4)}-12-31`,
    ),
  );
const hugeNumber = fc.oneof(
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e21, 1e308, -1e308, 0.5, -0.0),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((n) => n.toString()),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '0x10', '1_000', ' 1', '1 ', '+1', '١٢٣'),
);
const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\udfff', '\u202eabc', '\ufeff', '👨‍👩‍👧‍👦', 'e\u0301', '%00', '%', '..', '../x', '\\', "'", '"', '\r\n', '中文'.repeat(200)),
  fc.constantFrom(256, 1025, 20001, 100_000).map((n) => 'x'.repeat(n)),
);
const badId = () =>
  fc.oneof(
    fc.uuid(),
    fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-00000000000', 'g0000000-0000-0000-0000-000000000000'),
    // Not the signed-in users' own ids: deactivating or resetting oneself would only end the test's sessions.
    fc.constantFrom(other.users.judge.id, other.users.operator.id, other.users.admin.id, other.departmentIds[0], other.courtId, court.courtId, court.users.otherJudge.id),
  );
const wrongType = fc.constantFrom<unknown>(null, true, false, [], {}, [1, 2], { nested: { deeper: [null] } }, 0, -1);

function badValue(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const typed: Array<fc.WeightedArbitrary<unknown>> = [];
  if (schema?.format === 'date-time' || schema?.format === 'date') typed.push({ arbitrary: anyDate, weight: 6 });
  if (schema?.format === 'uuid') typed.push({ arbitrary: badId(), weight: 4 });
  if (schema?.type === 'integer' || schema?.type === 'number') typed.push({ arbitrary: hugeNumber, weight: 5 });
  if (schema?.enum) typed.push({ arbitrary: fc.constantFrom(...schema.enum.map((e) => `${String(e)}x`), String(schema.enum[0]).toUpperCase()), weight: 2 });
  return fc.oneof(...typed, { arbitrary: hugeNumber, weight: 1 }, { arbitrary: anyDate, weight: 1 }, { arbitrary: oddString, weight: 2 }, { arbitrary: badId(), weight: 1 }, { arbitrary: wrongType, weight: 1 });
}

const omit = Symbol('omit');

/** A field's value: valid (from the schema, with own-court ids), bad, or left out. */
function fieldValue(schema: JsonSchema | undefined, name: string): fc.Arbitrary<unknown> {
  const valid = exampleOf(schema, name, ownIds);
  return fc.oneof({ arbitrary: fc.constant(valid), weight: 3 }, { arbitrary: badValue(schema), weight: 3 }, { arbitrary: fc.constant(omit), weight: 1 });
}

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

function bodyOf(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  if (!schema?.properties) return fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: fc.constant({}), weight: 2 }, { arbitrary: wrongType, weight: 1 }, { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), badValue(undefined), { maxKeys: 3 }), weight: 1 });
  const fields = Object.fromEntries(Object.entries(schema.properties).map(([name, prop]) => [name, fieldValue(prop, name)]));
  const object = fc.record({ fields: fc.record(fields), extra: fc.option(fc.record({ key: fc.constantFrom('extra', '__proto__', 'constructor', 'isAdmin', 'courtId', 'id'), value: badValue(undefined) }), { freq: 4 }) }).map(({ fields: f, extra }) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f)) if (v !== omit) out[k] = v;
    if (extra) Object.defineProperty(out, extra.key, { value: extra.value, enumerable: true, writable: true, configurable: true });
    return out;
  });
  return fc.oneof({ arbitrary: object, weight: 8 }, { arbitrary: wrongType, weight: 1 });
}

interface FuzzRequest {
  path: string;
  body: unknown;
  /** Every date of the request is outside the sane years (an edge span): it must be refused. */
  outOfRange?: boolean;
}

/** Half the requests: a valid one (own-court ids, required fields) with exactly one field bad, so it reaches the check of that field. */
function requestOf(op: Operation): fc.Arbitrary<FuzzRequest> {
  const fields = [...op.params, ...op.query, ...Object.entries(op.body?.properties ?? {}).map(([name, schema]) => ({ name, schema, in: 'body' as const }))];
  if (!fields.length) return mixedRequestOf(op);
  const oneBad = fc.nat({ max: fields.length - 1 }).chain((i) => badValue(fields[i]!.schema).map((value) => validRequest(op, { ...fields[i]!, value })));
  return fc.oneof(mixedRequestOf(op), oneBad);
}

/** A valid request of a route (own-court ids, required fields), with one field set to `override.value`. */
function validRequest(op: Operation, override: { name: string; in: string; value: unknown }): FuzzRequest {
  const value = (name: string, where: string, valid: unknown) => (override.name === name && override.in === where ? override.value : valid);
  const search = new URLSearchParams();
  for (const q of op.query) {
    const v = value(q.name, 'query', q.required ? exampleOf(q.schema, q.name, ownIds) : undefined);
    if (v !== undefined) search.set(q.name, asText(v));
  }
  const path = op.url.replace(/:(\w+)/g, (_, name: string) => encodePathPart(asText(value(name, 'path', exampleOf(op.params.find((p) => p.name === name)?.schema, name, ownIds))) || '0'));
  let body: unknown;
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    const valid = (exampleOf(op.body, 'body', ownIds) ?? {}) as Record<string, unknown>;
    body = override.in === 'body' ? { ...valid, [override.name]: override.value } : valid;
  }
  return { path: search.size ? `${path}?${search}` : path, body };
}

/** The other half: each field independently valid, bad or missing, with unknown fields, and now and then every date moved to one odd year. */
function mixedRequestOf(op: Operation): fc.Arbitrary<FuzzRequest> {
  const params = fc.record(Object.fromEntries(op.params.map((p) => [p.name, fieldValue(p.schema, p.name).map((v) => (v === omit ? 'x' : asText(v) || '0'))])));
  const query = fc.record(Object.fromEntries(op.query.map((q) => [q.name, fieldValue(q.schema, q.name)])));
  const extraQuery = fc.option(fc.constantFrom('unknown=1', 'from=1&from=2', '__proto__[x]=1', 'limit[]=1'), { freq: 5 });
  const body = op.method === 'GET' || op.method === 'DELETE' ? fc.constant(undefined) : bodyOf(op.body);
  // Now and then every valid date of the request moves to one odd year together (a span that is short and in
  // order, but in the year 1 or 9999), so range checks between fields do not hide a date no column can hold.
  const year = fc.option(badYear, { freq: 2 });
  const dated = new Set([...op.query, ...Object.entries(op.body?.properties ?? {}).map(([name, schema]) => ({ name, schema }))].filter((f) => f.schema.format === 'date' || f.schema.format === 'date-time').map((f) => f.name));
  const moved = <T extends Record<string, unknown>>(fields: T, to: number | null): T =>
    to === null ? fields : (Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, dated.has(k) && typeof v === 'string' ? v.replace(/^\d{4}/, pad(to, 4)) : v])) as T);
  return fc.record({ params, query, extraQuery, body, year }).map(({ params: p, query: rawQuery, extraQuery: extra, body: rawBody, year: y }) => {
    const q = moved(rawQuery, y);
    const b = rawBody && typeof rawBody === 'object' && !Array.isArray(rawBody) ? moved(rawBody as Record<string, unknown>, y) : rawBody;
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== omit) search.set(k, asText(v));
    let qs = search.toString();
    if (extra) qs = qs ? `${qs}&${extra}` : extra;
    const path = op.url.replace(/:(\w+)/g, (_, name: string) => encodePathPart(p[name] as string));
    return { path: qs ? `${path}?${qs}` : path, body: b };
  });
}

/** A path segment, percent-encoded; a lone surrogate goes as the bytes of one (invalid UTF-8, a bad input too). */
function encodePathPart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.replace(/[\ud800-\udfff]/g, '\u0000').split('\u0000').map((part) => encodeURIComponent(part)).join('%ED%A0%80');
  }
}

/**
 * Edge spans every dated route is tried with first, whatever the seed: a short span in order, at the ends of
 * what a Date or PostgreSQL holds and just outside the sane years (`[start, end]` instants; days are their dates).
 */
const edgeSpans: Array<[string, string]> = [
  ['0001-01-01T00:00:00+08:00', '0001-01-02T00:00:00+08:00'],
  ['1899-12-30T00:00:00+08:00', '1899-12-31T00:00:00+08:00'],
  ['2101-01-01T00:00:00+08:00', '2101-01-02T00:00:00+08:00'],
  ['9999-12-30T23:00:00-14:00', '9999-12-31T23:00:00-14:00'],
];

/** A valid request of a route (own-court ids, required fields) with every date in an edge span. */
function validRequestIn(op: Operation, [start, end]: [string, string]): FuzzRequest {
  const move = (name: string, schema: JsonSchema | undefined, v: unknown) => {
    const at = /to|until/i.test(name) ? end : start;
    if (schema?.format === 'date-time') return at;
    if (schema?.format === 'date') return at.slice(0, 10);
    return v;
  };
  const search = new URLSearchParams();
  for (const q of op.query) if (q.required || q.schema.format?.startsWith('date')) search.set(q.name, asText(move(q.name, q.schema, exampleOf(q.schema, q.name, ownIds))));
  const path = op.url.replace(/:(\w+)/g, (_, name: string) => encodePathPart(asText(exampleOf(op.params.find((p) => p.name === name)?.schema, name, ownIds))));
  let body: unknown;
  if (op.method !== 'GET' && op.method !== 'DELETE' && op.body?.properties) {
    body = Object.fromEntries(
      Object.entries(op.body.properties)
        .filter(([name, schema]) => op.body!.required?.includes(name) || schema.format?.startsWith('date'))
        .map(([name, schema]) => [name, move(name, schema, exampleOf(schema, name, ownIds))]),
    );
  }
  return { path: search.size ? `${path}?${search}` : path, body, outOfRange: true };
}

const isDated = (op: Operation) => [...op.query.map((q) => q.schema), ...Object.values(op.body?.properties ?? {})].some((s) => s.format === 'date' || s.format === 'date-time');

const seedFor = (op: Operation) => (baseSeed ^ createHash('sha256').update(`${op.method} ${op.url}`).digest().readInt32BE(0)) | 0;
const fuzzed = () => operations.filter((o) => o.url !== '/api/auth/sign-out');

/**
 * Cases known to still answer 5xx, each `METHOD url` with why: the test asserts they still do, so the list must
 * shrink when one is fixed. Empty: keep it so.
 */
const knownFailures: Record<string, string> = {};

/**
 * Routes known to still accept a date outside the sane years (asserted still so, while the route exists, so the
 * list must shrink when one is fixed): use `calendarDate` / `instant` from platform/http/schemas.ts. Empty: keep it so.
 */
const knownOutOfRange: Record<string, string> = {};

/**
 * Row counts once the writes an accepted request left behind have landed (telephony's records journal writes
 * presence and call events in batches, after the answer), so a refused request is not blamed for them.
 */
let unsettled = false;
async function settledCounts(): Promise<Record<string, number>> {
  let counts = await rowCounts(api.deps.db, tables);
  for (let i = 0; unsettled && i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await rowCounts(api.deps.db, tables);
    if (changedTables(counts, again).length === 0) unsettled = false;
    counts = again;
  }
  return counts;
}

describe('bad input at every route of the OpenAPI document (property-based)', () => {
  it('never answers 5xx, and a refused request changes nothing', { timeout: Math.max(120_000, runs * 6_000) }, async () => {
    expect(fuzzed().length).toBeGreaterThan(60);
    const before = await snapshot(api.deps.db, tables);
    const failures: string[] = [];
    const still5xx = new Set<string>();
    const stillOutOfRange = new Set<string>();
    let accepted = 0;
    for (const op of fuzzed()) {
      const role = roleFor(op);
      const label = `${op.method} ${op.url}`;
      const cookie = role && (op.url.startsWith('/api/auth/') ? ownAccountCookies : cookies).get(role);
      const details = await fc.check(
        fc.asyncProperty(requestOf(op), async (request) => {
          const counts = await settledCounts();
          const result = await call(api.url, op.method, request.path, { ...(cookie ? { cookie } : {}), ...(request.body === undefined ? {} : { body: request.body }) });
          if (result.status >= 500) {
            if (knownFailures[label]) {
              still5xx.add(label);
              return true;
            }
            throw new Error(`${result.status} ${JSON.stringify(result.body).slice(0, 200)}`);
          }
          if (result.status < 400) {
            if (op.method !== 'GET') unsettled = true;
            if (request.outOfRange) {
              if (knownOutOfRange[label]) stillOutOfRange.add(label);
              else throw new Error(`accepted a date outside the sane years: ${result.status}`);
            }
            accepted++;
            return true;
          }
          const changed = changedTables(counts, await rowCounts(api.deps.db, tables));
          if (changed.length) throw new Error(`refused with ${result.status}, yet changed ${changed.join(', ')}`);
          return true;
        }),
        { numRuns: runs, seed: seedFor(op), endOnFailure: true, examples: isDated(op) ? edgeSpans.map((span) => [validRequestIn(op, span)]) : [] },
      );
      if (details.failed) {
        const [request] = details.counterexample ?? [];
        failures.push(`${label}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\n    request: ${request?.path.slice(0, 300)} body=${asText(request?.body).slice(0, 300)}\n    (seed ${details.seed}, path ${details.counterexamplePath})`);
      }
    }
    expect(failures).toEqual([]);
    expect([...still5xx].sort()).toEqual(Object.keys(knownFailures).sort());
    expect([...stillOutOfRange].sort()).toEqual(Object.keys(knownOutOfRange).filter((label) => fuzzed().some((o) => `${o.method} ${o.url}` === label)).sort());
    // Most generated requests are refused; a few valid ones go through (and may change their own court's data).
    expect(accepted).toBeLessThan(fuzzed().length * runs);
    if (accepted === 0) expect(changedTables(before, await snapshot(api.deps.db, tables))).toEqual([]);
  });

  it('refuses dates outside the sane range with 400 (issue 19: the year 0001 at +08:00 answered 500)', async () => {
    const cookie = cookies.get('admin')!;
    const span = (from: string, to: string) => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const cases: Array<[string, string, unknown?]> = [
      ['GET', `/api/kpi/figures?${span('0001-01-01T00:00:00+08:00', '0001-01-02T00:00:00+08:00')}`],
      ['GET', `/api/kpi/drilldown?measure=offered&${span('0001-01-01T00:00:00+08:00', '0001-01-02T00:00:00+08:00')}`],
      ['GET', `/api/kpi/export?format=csv&${span('0001-01-01T00:00:00+08:00', '0001-01-02T00:00:00+08:00')}`],
      ['GET', `/api/kpi/unassigned?${span('0001-01-01T00:00:00+08:00', '0001-01-02T00:00:00+08:00')}`],
      ['GET', `/api/kpi/figures?${span('9999-12-31T00:00:00-14:00', '9999-12-31T23:00:00-14:00')}`],
      ['GET', `/api/kpi/figures?${span('1999-12-31T00:00:00Z', '2000-01-02T00:00:00Z')}`],
      ['POST', '/api/kpi/weekly-reports', { weekOf: '0001-01-01' }],
      ['POST', '/api/kpi/weekly-reports', { weekOf: '1900-01-01' }],
      ['GET', '/api/kpi/weekly-reports/9007199254740993'],
      ['GET', `/api/kpi/drilldown?measure=offered&${span('2026-03-01T00:00:00+08:00', '2026-03-10T00:00:00+08:00')}&bucket=2026-02-30T25:00`],
    ];
    const answers = [];
    for (const [method, path, body] of cases) {
      const result = await call(api.url, method, path, { cookie, ...(body ? { body } : {}) });
      answers.push(`${method} ${path} → ${result.status} ${result.body?.code}`);
    }
    expect(answers).toEqual(cases.map(([method, path]) => `${method} ${path} → 400 invalid_input`));
    const inRange = await call(api.url, 'GET', `/api/kpi/figures?${span('2000-01-01T00:00:00+08:00', '2000-01-02T00:00:00+08:00')}`, { cookie });
    expect(inRange.status).toBe(200);
  });

  it('refuses a sign-in name no user can have with 400 (a lone surrogate answered 500: seed 5, 100 runs)', async () => {
    for (const username of ['\udfff', 'a\ud800b', 'x\u0000y', 'tab\tname']) {
      const result = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username, password: '13800138000' } });
      expect(`${JSON.stringify(username)} → ${result.status} ${result.body?.code}`).toBe(`${JSON.stringify(username)} → 400 invalid_input`);
    }
    const unknown = await call(api.url, 'POST', '/api/auth/sign-in', { body: { username: '张三 👩‍💻', password: '13800138000' } });
    expect(unknown.status).toBe(401);
  });

  it('is still up and ready after all of it', async () => {
    expect((await call(api.url, 'GET', '/healthz')).status).toBe(200);
    expect((await call(api.url, 'GET', '/readyz')).status).toBe(200);
  });
});
