import { z } from 'zod';
import { errorBodySchema, errorResponses, idParam, type ApiApp } from '../../platform/http/schemas.ts';
import type { OutboundService } from './service.ts';
import { attemptResults, legKinds, legOutcomes, outboundModes, outboundPurposes, outboundStatuses } from './types.ts';

const tags = ['telephony'];
const iso = z.string().nullable();

export const outboundBody = z
  .strictObject({
    purpose: z.enum(outboundPurposes),
    mode: z.enum(outboundModes).default('operator'),
    ticketId: z.uuid().optional(),
    callId: z.uuid().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.purpose === 'missed_call' && (!b.callId || b.ticketId)) ctx.addIssue({ code: 'custom', path: ['callId'], message: 'missed_call needs callId (and no ticketId)' });
    if (b.purpose !== 'missed_call' && (!b.ticketId || b.callId)) ctx.addIssue({ code: 'custom', path: ['ticketId'], message: `${b.purpose} needs ticketId (and no callId)` });
    if (b.mode === 'survey' && b.purpose !== 'return_visit') ctx.addIssue({ code: 'custom', path: ['mode'], message: 'the voice survey is for return visits only' });
  })
  .meta({ id: 'OutboundRequestBody' });

export const outboundView = z
  .object({
    id: z.string(),
    purpose: z.enum(outboundPurposes),
    mode: z.enum(outboundModes),
    ticketId: z.string().nullable(),
    callId: z.string().nullable(),
    /** The tickets capability's delivery row, for a relay it filed (POST /api/tickets/:id/relay by phone). */
    deliveryId: z.string().nullable(),
    operatorId: z.string(),
    callerNumberMasked: z.string(),
    status: z.enum(outboundStatuses),
    attempts: z.number().int(),
    maxAttempts: z.number().int(),
    nextAttemptAt: iso,
    result: z.enum(attemptResults).nullable(),
    satisfaction: z.string().nullable(),
    detail: z.string().nullable(),
    requestedAt: z.string(),
    finishedAt: iso,
    legs: z.array(z.object({ attempt: z.number().int(), leg: z.enum(legKinds), outcome: z.enum(legOutcomes), startedAt: z.string(), answeredAt: iso, endedAt: z.string(), detail: z.string().nullable() })),
  })
  .meta({ id: 'OutboundView' });

/** Callback dialling (回拨): the console's "call back" button, and the request's progress with its legs. */
export function registerOutboundRoutes(app: ApiApp, service: OutboundService): void {
  app.post('/api/telephony/outbound', {
    config: { roles: ['operator', 'manager'] },
    schema: {
      tags,
      summary: "Call a caller back: the signed-in user's softphone first, then the caller (operator), or a keypad survey (return visits)",
      body: outboundBody,
      response: { 202: outboundView, ...errorResponses, 409: errorBodySchema, 503: errorBodySchema },
    },
    handler: async (request, reply) => {
      const view = await service.request(request.actor, request.body);
      return reply.code(202).send(view);
    },
  });

  app.get('/api/telephony/outbound/:id', {
    config: { roles: ['operator', 'manager'] },
    schema: { tags, summary: 'A callback request: status, attempts and every leg dialled with its outcome', params: idParam('id'), response: { 200: outboundView, ...errorResponses } },
    handler: async (request) => service.get(request.actor, request.params.id),
  });
}
