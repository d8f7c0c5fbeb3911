import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';
import { HotlineError } from '../platform/errors.ts';
import { errors } from '../platform/http/errors.ts';
import { errorBodySchema, errorResponses, type ApiApp } from '../platform/http/schemas.ts';
import { hotlineNumbers } from './courts/hotline-numbers.sql.ts';

const tags = ['telephony'];
const admin = { roles: ['admin'] } as const;
/** As Asterisk's dialplan sees it: the extension dialled or a trunk's DID. */
const hotlineNumber = z.string().trim().regex(/^\+?[0-9]{3,32}$/, 'digits only (3–32, an optional leading +), e.g. 12368 / 须为 3–32 位数字，如 12368');
const numberView = z.object({ number: z.string(), createdAt: z.date() }).meta({ id: 'HotlineNumber' });

/**
 * The dialled-number → court map (telephony.hotline_numbers), each court's admin for their own court: the numbers
 * that bring calls to it, adding one (a number another court serves is refused, never taken over) and removing one.
 * The table's trigger tells every controller at once (NOTIFY telephony_courts), so the next call follows; the api's
 * hook audits each change (admin.action).
 */
export function registerHotlineNumberRoutes(app: ApiApp, db: Db): void {
  app.get('/api/telephony/hotline-numbers', {
    config: admin,
    schema: { tags, summary: "The numbers whose calls go to the admin's court", response: { 200: z.array(numberView), ...errorResponses } },
    handler: async (request) =>
      db.select({ number: hotlineNumbers.number, createdAt: hotlineNumbers.createdAt }).from(hotlineNumbers).where(eq(hotlineNumbers.courtId, request.actor.courtId)).orderBy(asc(hotlineNumbers.number)),
  });

  app.post('/api/telephony/hotline-numbers', {
    config: admin,
    schema: {
      tags,
      summary: "Send a number's calls to the admin's court (from the next call)",
      body: z.strictObject({ number: hotlineNumber }),
      response: { 201: numberView, 409: errorBodySchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { number } = request.body;
      const [created] = await db.insert(hotlineNumbers).values({ number, courtId: request.actor.courtId }).onConflictDoNothing().returning();
      if (!created) {
        const [existing] = await db.select({ courtId: hotlineNumbers.courtId }).from(hotlineNumbers).where(eq(hotlineNumbers.number, number));
        if (existing?.courtId === request.actor.courtId) throw new HotlineError('number_exists', 409, `The number ${number} is already this court's.`, `号码 ${number} 已属于本院。`);
        throw new HotlineError('number_taken', 409, `The number ${number} serves another court: its admin must remove it first.`, `号码 ${number} 已分配给其他法院，须由该院管理员先行移除。`);
      }
      return reply.code(201).send({ number: created.number, createdAt: created.createdAt });
    },
  });

  app.delete('/api/telephony/hotline-numbers/:number', {
    config: admin,
    schema: {
      tags,
      summary: "Stop sending a number's calls to the admin's court (a call to it then goes to no court unless the deployment has one)",
      params: z.strictObject({ number: hotlineNumber }),
      response: { 204: z.null(), ...errorResponses },
    },
    handler: async (request, reply) => {
      const removed = await db
        .delete(hotlineNumbers)
        .where(and(eq(hotlineNumbers.number, request.params.number), eq(hotlineNumbers.courtId, request.actor.courtId)))
        .returning({ number: hotlineNumbers.number });
      // Another court's number is "not found" here, as any record of another court.
      if (removed.length === 0) throw errors.notFound('hotline number');
      return reply.code(204).send(null);
    },
  });
}
