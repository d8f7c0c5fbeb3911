import type { FastifySerializerCompiler } from 'fastify';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type ZodSchema = z.core.$ZodType;

// zod types JSON Schema cannot describe, and those whose encoding changes the value (a codec is a pipe;
// a default fills a missing field): a response schema holding one keeps zod's serializer.
const unrepresentable = new Set(['bigint', 'symbol', 'undefined', 'void', 'map', 'set', 'transform', 'pipe', 'default', 'prefault', 'catch', 'nan', 'custom', 'function', 'promise', 'file']);

/**
 * The JSON Schema of what a zod response schema sends (dates as ISO strings), or undefined when it has a
 * part JSON Schema cannot describe (a transform, a map…).
 */
export function responseJsonSchema(schema: ZodSchema): Record<string, unknown> | undefined {
  let representable = true;
  const json = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
    target: 'draft-7',
    override: ({ zodSchema, jsonSchema }) => {
      const type = zodSchema._zod.def.type;
      if (type === 'date') Object.assign(jsonSchema, { type: 'string', format: 'date-time' });
      else if (unrepresentable.has(type)) representable = false;
    },
  }) as Record<string, unknown>;
  if (!representable) return undefined;
  const { $schema: _dialect, $id: _id, id: _name, ...rest } = json;
  return allowExtraFields(rest) as Record<string, unknown>;
}

/**
 * Drops `additionalProperties: false`: fast-json-stringify writes only declared fields anyway, and picks a
 * union's branch by validating the value, which must not fail on a field the schema leaves out (zod strips it).
 */
function allowExtraFields(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowExtraFields);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = allowExtraFields(value);
  }
  return out;
}

/**
 * Responses are written by fast-json-stringify, compiled from the route's zod response schema: only the
 * declared fields are sent (a column added to a table never leaks), in the declared types. The handler's
 * return type is checked against the same schema at compile time (fastify-type-provider-zod), so the
 * response is not validated again at run time, which cost more than the rest of a cached-session request.
 * Schemas JSON Schema cannot describe, or whose encoding changes values (codecs, defaults), keep the zod
 * serializer (validate and encode, then JSON.stringify).
 */
export const serializerCompiler: FastifySerializerCompiler<ZodSchema> = (route) => {
  // Compiled on first use: a process builds serializers only for the responses it actually sends.
  let serialize: ((data: unknown) => string) | undefined;
  return (data) => (serialize ??= compile(route))(data);
};

function compile(route: Parameters<FastifySerializerCompiler<ZodSchema>>[0]): (data: unknown) => string {
  const { schema } = route;
  const json = schema instanceof z.core.$ZodType ? responseJsonSchema(schema) : undefined;
  if (json) {
    try {
      return fastJson(json) as (data: unknown) => string;
    } catch {
      // a JSON Schema fast-json-stringify cannot compile: zod below still serializes it correctly
    }
  }
  return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
}

