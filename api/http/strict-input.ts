import type { RouteOptions } from 'fastify';
import { z } from 'zod';

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Unknown fields are rejected: bodies and queries are declared with z.strictObject; a product route
 * (under /api/) that declares no query or no body gets an empty strict one, so stray input is a 400
 * rather than silently ignored.
 */
export function rejectUndeclaredInput(route: RouteOptions): void {
  if (!route.url.startsWith('/api/')) return;
  const schema = (route.schema ??= {});
  schema.querystring ??= z.strictObject({});
  const methods = ([] as string[]).concat(route.method);
  if (methods.some((m) => bodyMethods.has(m))) schema.body ??= z.strictObject({}).nullish();
}
