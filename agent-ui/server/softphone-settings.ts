import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { Config } from '../../platform/config/schema.ts';
import type { Db } from '../../platform/db/client.ts';
import { users } from '../../platform/directory.sql.ts';
import { derivedSipPassword } from '../../telephony/endpoints/sip-credentials.ts';

const softphoneSettings = z
  .object({
    webSocketUrl: z.string(),
    domain: z.string(),
    /** The operator's PJSIP endpoint; null when the admin has not given them one yet. */
    endpoint: z.string().nullable(),
    /** Null when no secret is configured: the softphone asks the operator. */
    password: z.string().nullable(),
  })
  .meta({ id: 'SoftphoneSettings' });

/** `GET /api/console/softphone`: what the signed-in operator's browser softphone registers with. */
export function registerSoftphoneSettingsRoute(http: FastifyInstance, db: Db, settings: Config['console']): void {
  http.withTypeProvider<ZodTypeProvider>().get('/api/console/softphone', {
    config: { roles: ['operator'] },
    schema: { tags: ['console'], summary: 'Softphone registration settings of the signed-in operator', response: { 200: softphoneSettings, ...errorResponses } },
    handler: async (request, reply) => {
      const [row] = await db.select({ endpoint: users.sipEndpoint }).from(users).where(eq(users.id, request.actor.userId));
      const endpoint = row?.endpoint ?? null;
      reply.header('cache-control', 'no-store');
      return {
        webSocketUrl: settings.sipWebSocketUrl,
        domain: settings.sipDomain,
        endpoint,
        password: endpoint && settings.sipPasswordSecret ? derivedSipPassword(settings.sipPasswordSecret, endpoint) : null,
      };
    },
  });
}
