import { z } from 'zod';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { userRoles } from '../../platform/user-roles.ts';
import type { TicketContext } from '../context.ts';
import { changeCourtSmsSettings, courtSmsSettings } from './settings.ts';

const smsStatus = z
  .object({
    /** The deployment's gateway, or null: none configured (SMS relay is refused; the console does not offer it). */
    gateway: z.enum(['smpp', 'https']).nullable(),
    /** How a reply can be relayed to the caller here. */
    relayChannels: z.array(z.enum(['phone', 'sms'])),
    /** The court's setting: text the caller at hand-off (on unless an admin or manager turned it off). */
    handoffNotice: z.boolean(),
    /** Whether hand-off notices are actually sent (the setting, and a gateway). */
    handoffNoticeActive: z.boolean(),
    changedAt: z.date().nullable(),
    changedBy: z.uuid().nullable(),
  })
  .meta({ id: 'SmsStatus' });

const tags = ['sms'];

/** `GET /api/tickets/sms`: what SMS can do in this deployment and court; `PUT`: the court's hand-off notice setting. */
export function registerSmsRoutes(app: ApiApp, ctx: TicketContext): void {
  const status = async (courtId: string) => {
    const settings = await courtSmsSettings(ctx.db, courtId);
    const gateway = (ctx.sms?.gateway ?? null) as 'smpp' | 'https' | null;
    return {
      gateway,
      relayChannels: gateway ? (['phone', 'sms'] as const).slice() : ['phone' as const],
      handoffNotice: settings.handoffNotice,
      handoffNoticeActive: Boolean(gateway) && settings.handoffNotice,
      changedAt: settings.changedAt,
      changedBy: settings.changedBy,
    };
  };
  app.get('/api/tickets/sms', {
    config: { roles: userRoles },
    schema: { tags, summary: 'SMS in this deployment and court: the gateway, the relay channels offered, the hand-off notice setting', response: { 200: smsStatus, ...errorResponses } },
    handler: async (request) => status(request.actor.courtId),
  });
  app.put('/api/tickets/sms', {
    config: { roles: ['admin', 'manager'] },
    schema: { tags, summary: 'Turn the hand-off SMS to callers on or off for the court (kept as a change with who and when)', body: z.strictObject({ handoffNotice: z.boolean() }), response: { 200: smsStatus, ...errorResponses } },
    handler: async (request) => {
      await changeCourtSmsSettings(ctx.db, request.actor.courtId, request.actor.userId, request.body, ctx.clock.now());
      return status(request.actor.courtId);
    },
  });
}
