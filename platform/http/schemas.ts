import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userRoles } from '../user-roles.ts';

/**
 * What every capability's routes are built on: the Fastify instance they are declared on (request types derive
 * from the zod schemas), the one error body, and the schemas more than one capability uses.
 */

/** The Fastify instance routes are declared on: request types derive from the zod schemas. */
export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** `{code, message, message_zh}`: the body of every error response. */
export const errorBodySchema = z.object({ code: z.string(), message: z.string(), message_zh: z.string() }).meta({ id: 'Error' });

export const username = z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, '2–64 letters, digits, ".", "_" or "-"');
/** A PJSIP endpoint name, e.g. "op1001". */
export const sipEndpoint = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, ".", "_" or "-" (at most 64)');
/** An extension or outside number, e.g. "8001" or "010-62345678". */
export const phoneOrExtension = z.string().regex(/^\+?[0-9][0-9#*-]{0,31}$/, 'digits, "-", "*" or "#" (at most 32)');
export const userRole = z.enum(userRoles);

export const idParam = <Name extends string>(name: Name) => z.strictObject({ [name]: z.uuid() } as { [K in Name]: z.ZodUUID });

/** Common error responses, for the OpenAPI description. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
} as const;
