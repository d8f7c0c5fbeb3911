import { z } from 'zod';
import { errorBodySchema, errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import type { Db } from '../../platform/db/client.ts';
import { attemptResults, outboundStatuses } from '../outbound/types.ts';
import { unownedKinds, type UnownedService } from './service.ts';
import { autoCallbackSettingsBody, readAutoCallback, writeAutoCallback } from './settings.ts';

const tags = ['telephony'];

const listQuery = z.strictObject({
  /** China days to look back over, today included. */
  days: z.coerce.number().int().min(1).max(14).default(3),
});

const entry = z
  .object({
    key: z.string(),
    kind: z.enum(unownedKinds),
    ticketId: z.string().nullable(),
    ticketNumber: z.string().nullable(),
    summary: z.string().nullable(),
    callerNumberMasked: z.string(),
    tries: z.number().int(),
    times: z.array(z.string()),
    lastAt: z.string(),
    callId: z.string().nullable(),
    menuOption: z.string().nullable(),
    recordingUrl: z.string().nullable(),
    autoCallback: z.object({ attempts: z.number().int(), lastStatus: z.enum(outboundStatuses).nullable(), lastResult: z.enum(attemptResults).nullable(), lastAt: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'UnownedEntry' });

const claimBody = z
  .strictObject({ ticketId: z.uuid().optional(), callId: z.uuid().optional() })
  .refine((b) => (b.ticketId === undefined) !== (b.callId === undefined), { message: 'exactly one of ticketId (a message or callback request) and callId (a caller who gave up) / ticketId 与 callId 须且只须给出一个' })
  .meta({ id: 'UnownedClaimBody' });

const claimed = z
  .object({ key: z.string(), kind: z.enum(['ticket', 'abandoned']), ticketId: z.string(), ticketNumber: z.string(), callerNumber: z.string().nullable() })
  .meta({ id: 'UnownedClaimed' });

const settingsView = z.object({ ...autoCallbackSettingsBody.shape, updatedAt: z.string().nullable() }).meta({ id: 'AutoCallbackSettingsView' });

/** The unowned queue (待认领) of the signed-in user's court, the claim, and the court's automatic callback setting. */
export function registerUnownedRoutes(app: ApiApp, service: UnownedService, db: Db): void {
  app.get('/api/telephony/unowned', {
    config: { roles: ['operator', 'manager'] },
    schema: {
      tags,
      summary: "The court's unowned queue: messages, callback requests and callers who gave up (one entry per caller and China day), newest first",
      querystring: listQuery,
      response: { 200: z.object({ entries: z.array(entry) }), ...errorResponses },
    },
    handler: async (request) => ({ entries: await service.list(request.actor, request.query.days) }),
  });

  app.post('/api/telephony/unowned/claim', {
    config: { roles: ['operator'] },
    schema: {
      tags,
      summary: 'Claim an entry (认领): the operator becomes its first-contact owner; 409 when another operator was first',
      body: claimBody,
      response: { 200: claimed, ...errorResponses, 409: errorBodySchema },
    },
    handler: async (request) => service.claim(request.actor, request.body),
  });

  app.get('/api/telephony/auto-callback', {
    config: { roles: ['operator', 'manager', 'admin'] },
    schema: { tags, summary: "The court's automatic callback setting (off until a manager or admin turns it on)", response: { 200: settingsView, ...errorResponses } },
    handler: async (request) => readAutoCallback(db, request.actor.courtId),
  });

  app.put('/api/telephony/auto-callback', {
    config: { roles: ['manager', 'admin'] },
    schema: { tags, summary: "Set the court's automatic callback: on/off, dialling hours, attempts per caller, interval, daily cap", body: autoCallbackSettingsBody, response: { 200: settingsView, ...errorResponses } },
    handler: async (request) => writeAutoCallback(db, request.actor, request.body),
  });
}
