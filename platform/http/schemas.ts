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

/**
 * The years any date or instant the hotline accepts may fall in. Wide enough for every record and report a court
 * keeps, narrow enough that no date reaches a column, a calendar or a Date it cannot hold (the year 0001 at +08:00
 * is the year 0 in UTC, which PostgreSQL has not got).
 */
export const saneYears = { min: 2000, max: 2100 } as const;
const saneYearsText = `${saneYears.min}–${saneYears.max}`;
/** The year as written (`2000-01-01T00:00:00+08:00` is in 2000, though 1999 in UTC). */
const inSaneYears = (iso: string) => Number(iso.slice(0, 4)) >= saneYears.min && Number(iso.slice(0, 4)) <= saneYears.max;

/** An instant with its offset (`2026-03-02T09:00:00+08:00`), written in the years `saneYears`. */
export const instant = z.iso.datetime({ offset: true }).refine(inSaneYears, `a time in the years ${saneYearsText} / 须为 ${saneYearsText} 年之间的时间`);

/** A calendar day (`2026-10-01`), in the years `saneYears`. */
export const calendarDate = z.iso.date().refine(inSaneYears, `a day in the years ${saneYearsText} / 须为 ${saneYearsText} 年之间的日期`);

/** A positive id of a bigserial column (at most 2^53 − 1, what a JSON number holds exactly). */
export const serialId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const idParam = <Name extends string>(name: Name) => z.strictObject({ [name]: z.uuid() } as { [K in Name]: z.ZodUUID });

/** Common error responses, for the OpenAPI description. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
} as const;
