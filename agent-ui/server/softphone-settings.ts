import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../platform/http/schemas.ts';
import type { Config } from '../../platform/config/schema.ts';

/** What the route needs of the telephony capability: its service's `softphoneCredentials` (telephony/endpoints/sip-credentials.ts). */
export interface SoftphoneCredentialsSource {
  softphoneCredentials(userId: string): Promise<{ endpoint: string | null; password: string | null }>;
}

const softphoneSettings = z
  .object({
    webSocketUrl: z.string(),
    domain: z.string(),
    /** The user's PJSIP endpoint; null when the admin has not given them one yet. */
    endpoint: z.string().nullable(),
    /** Null when no secret is configured: the softphone asks the operator. */
    password: z.string().nullable(),
  })
  .meta({ id: 'SoftphoneSettings' });

/**
 * `GET /api/console/softphone`: what the signed-in user's browser softphone registers with. Operators take calls
 * with it; heads and managers join live calls with it (supervision, telephony/supervision/control.ts).
 */
export function registerSoftphoneSettingsRoute(http: FastifyInstance, telephony: SoftphoneCredentialsSource, settings: Config['console']): void {
  http.withTypeProvider<ZodTypeProvider>().get('/api/console/softphone', {
    // Who has a softphone: telephony/endpoints/users-config.ts `softphoneRoles` (not imported: console server asks services only).
    config: { roles: ['operator', 'department_head', 'manager'] },
    schema: { tags: ['console'], summary: 'Softphone registration settings of the signed-in operator, head or manager', response: { 200: softphoneSettings, ...errorResponses } },
    handler: async (request, reply) => {
      const { endpoint, password } = await telephony.softphoneCredentials(request.actor.userId);
      reply.header('cache-control', 'no-store');
      return { webSocketUrl: settings.sipWebSocketUrl, domain: settings.sipDomain, endpoint, password };
    },
  });
}
