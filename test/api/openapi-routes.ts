/**
 * Test support for the route-walking tests (access matrix, bad-input fuzz): the operations of the OpenAPI document
 * joined with the roles each route declares (`config.roles`, gathered by the access hook as `routeAccess`), a
 * minimal valid example of any JSON schema the document holds, and a digest of the database's rows.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { RouteAccess, RouteRoles } from '../../platform/http/route-access.ts';
import { call } from '../../api/testing/fixtures.ts';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** Fastify's pattern, `/api/tickets/:ticketId`. */
  url: string;
  params: Parameter[];
  query: Parameter[];
  body: JsonSchema | undefined;
  roles: RouteRoles;
}

/** Every operation under /api/ of the OpenAPI document, with the roles its route declares. */
export async function operationsOf(baseUrl: string, routeAccess: RouteAccess[]): Promise<{ operations: Operation[]; undeclared: string[]; undocumented: string[] }> {
  const spec = await call(baseUrl, 'GET', '/docs/json');
  if (spec.status !== 200) throw new Error(`GET /docs/json → ${spec.status}`);
  const components: Record<string, JsonSchema> = spec.body.components?.schemas ?? {};
  const resolve = (schema: JsonSchema | undefined): JsonSchema | undefined => {
    if (!schema) return schema;
    if (schema.$ref) return resolve(components[schema.$ref.replace('#/components/schemas/', '')]);
    return schema;
  };
  const operations: Operation[] = [];
  const undeclared: string[] = [];
  for (const [path, methods] of Object.entries<Record<string, any>>(spec.body.paths)) {
    if (!path.startsWith('/api/')) continue;
    const url = path.replace(/\{(\w+)\}/g, ':$1');
    for (const [method, op] of Object.entries<any>(methods)) {
      const access = routeAccess.find((r) => r.method === method.toUpperCase() && r.url === url);
      if (!access) {
        undeclared.push(`${method.toUpperCase()} ${url}`);
        continue;
      }
      const parameters: Parameter[] = (op.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, required: Boolean(p.required), schema: resolve(p.schema) ?? {} }));
      operations.push({
        method: method.toUpperCase(),
        url,
        params: parameters.filter((p) => p.in === 'path'),
        query: parameters.filter((p) => p.in === 'query'),
        body: resolveDeep(resolve(op.requestBody?.content?.['application/json']?.schema), resolve),
        roles: access.roles,
      });
    }
  }
  const documented = new Set(operations.map((o) => `${o.method} ${o.url}`));
  const undocumented = routeAccess.filter((r) => r.url.startsWith('/api/') && !documented.has(`${r.method} ${r.url}`)).map((r) => `${r.method} ${r.url}`);
  return { operations, undeclared, undocumented };
}

function resolveDeep(schema: JsonSchema | undefined, resolve: (s: JsonSchema | undefined) => JsonSchema | undefined): JsonSchema | undefined {
  const s = resolve(schema);
  if (!s) return s;
  const out: JsonSchema = { ...s };
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, resolveDeep(v, resolve)!]));
  if (s.items) out.items = resolveDeep(s.items, resolve);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (s[key]) out[key] = s[key]!.map((v) => resolveDeep(v, resolve)!);
  return out;
}

/** Ids to put in fields by name; any other uuid gets a fresh random one. */
export type IdsByName = (field: string) => string | undefined;

const stringCandidates = ['13800138000', '8001', 'enquiry', 'fuzz_ok', 'lunch', '1-0', '2026-03-02T09:00', 'x', '测试文本'];

/** A minimal valid value of a schema: required properties only (all uuid properties too when `allIds`). */
export function exampleOf(schema: JsonSchema | undefined, field: string, ids: IdsByName, allIds = false): unknown {
  if (!schema) return undefined;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return exampleOf(alternatives.find((a) => a.type !== 'null') ?? alternatives[0], field, ids, allIds);
  if (schema.allOf) return exampleOf(schema.allOf[0], field, ids, allIds);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(name) || (allIds && isUuid(prop))) out[name] = exampleOf(prop, name, ids, allIds);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(schema.items, field, ids, allIds));
    case 'boolean':
      return true;
    case 'integer':
    case 'number': {
      if (/year/i.test(field)) return new Date().getUTCFullYear();
      const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
      return schema.exclusiveMinimum === true ? min + 1 : Math.max(min, 1);
    }
    default:
      return stringExample(schema, field, ids);
  }
}

export const isUuid = (schema: JsonSchema | undefined) => schema?.format === 'uuid' || Boolean(schema?.anyOf?.some((a) => a.format === 'uuid'));

function stringExample(schema: JsonSchema, field: string, ids: IdsByName): string {
  const now = new Date();
  if (schema.format === 'uuid') return ids(field) ?? randomUUID();
  if (schema.format === 'date-time') return chinaTime(/to|until/i.test(field) ? new Date(now.getTime() + 86_400_000) : new Date(now.getTime() - 7 * 86_400_000));
  if (schema.format === 'date') return now.toISOString().slice(0, 10);
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Infinity;
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  const fits = (s: string) => s.length >= min && s.length <= max && (!pattern || pattern.test(s));
  return stringCandidates.find(fits) ?? 'x'.repeat(Math.max(min, 1));
}

/** An instant as a console in China sends it: `2026-03-02T09:00:00+08:00`. */
export function chinaTime(at: Date): string {
  return `${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** One request's path for a route pattern, each parameter from `valueOf`. */
export function pathOf(url: string, valueOf: (name: string) => string): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(valueOf(name)));
}

/** Tables every request may touch by design (audit trail, sign-in failures, sessions' last use). */
export const recordedByDesign = ['api.audit_log', 'api.sign_in_failures', 'api.sessions'];

/** Every table of every capability, from the catalogue (a new capability's tables are watched too). */
export async function watchedTables(db: Db): Promise<string[]> {
  const { rows } = await db.execute<{ name: string }>(
    sql`select table_schema || '.' || table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema', 'drizzle') order by 1`,
  );
  return rows.map((r) => r.name).filter((name) => !recordedByDesign.includes(name));
}

/** Row count and content digest of each watched table. */
export async function snapshot(db: Db, tables: string[]): Promise<Record<string, string>> {
  const select = tables.map((t, i) => `(select count(*) || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${t} x) as t${i}`).join(', ');
  const { rows } = await db.execute<Record<string, string>>(sql.raw(`select ${select}`));
  return Object.fromEntries(tables.map((t, i) => [t, rows[0]![`t${i}`]!]));
}

/** Row count of each watched table (cheap enough to take around every request). */
export async function rowCounts(db: Db, tables: string[]): Promise<Record<string, number>> {
  const select = tables.map((t, i) => `(select count(*)::int from ${t}) as t${i}`).join(', ');
  const { rows } = await db.execute<Record<string, number>>(sql.raw(`select ${select}`));
  return Object.fromEntries(tables.map((t, i) => [t, rows[0]![`t${i}`]!]));
}

export function changedTables(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

/**
 * Bodies to try for an object schema: the required properties alone, then with each optional property in turn
 * (so a body whose rules ask for exactly one of several fields, or at least one change, is tried with each).
 */
export function bodyVariants(schema: JsonSchema | undefined, ids: IdsByName): unknown[] {
  const base = exampleOf(schema, 'body', ids);
  if (!schema?.properties || typeof base !== 'object' || base === null) return [base ?? {}];
  const optional = Object.keys(schema.properties).filter((name) => !schema.required?.includes(name));
  return [base, ...optional.map((name) => ({ ...base, [name]: exampleOf(schema.properties![name], name, ids) }))];
}
