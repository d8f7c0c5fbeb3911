import { z } from 'zod';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import { maskPhone } from '../../platform/masking.ts';
import type { Actor } from '../../platform/user-roles.ts';

/** What the route needs of the tickets capability: its service's `ownQueue` (tickets/own-queue.ts). */
export interface OwnQueueSource {
  ownQueue(actor: Actor): Promise<Array<z.input<typeof queueItem>>>;
}

/**
 * The operator's own queue (首问负责): tickets they own whose reply is to be relayed to the caller (feedback)
 * or whose return visit is due (callback), each with its latest relay (a failed one shows why), asked of the
 * tickets service; every change goes through the tickets routes (relay, delivery, callback). Numbers are masked
 * as in every list: opening the ticket (GET /api/tickets/:id) gives the full number to call.
 */
const queueItem = z
  .object({
    id: z.uuid(),
    number: z.string(),
    stage: z.enum(['feedback', 'callback']),
    category: z.string(),
    summary: z.string(),
    callerNumber: z.string().nullable(),
    callerName: z.string().nullable(),
    caseNumber: z.string().nullable(),
    feedbackText: z.string().nullable(),
    repliedAt: z.date().nullable(),
    deliveryChannel: z.string().nullable(),
    deliveredAt: z.date().nullable(),
    answeredOnSpot: z.boolean(),
    reopenCount: z.number().int(),
    /** Confidential (保密), and whether this copy is masked: no caller identity, no text (tickets/confidential.ts). */
    confidential: z.boolean(),
    masked: z.boolean(),
    /** The latest relay of the reply: under way (requested, sending, sent), delivered, or failed with the reason. */
    lastRelay: z.object({ channel: z.string(), status: z.string(), detail: z.string().nullable(), at: z.date() }).nullable(),
  })
  .meta({ id: 'MyQueueItem' });

export function registerMyQueueRoute(app: ApiApp, tickets: OwnQueueSource): void {
  app.get('/api/console/my-queue', {
    config: { roles: ['operator'] },
    schema: { tags: ['console'], summary: 'Tickets I own waiting for the reply to be relayed or for the return visit, oldest reply first', response: { 200: z.array(queueItem), ...errorResponses } },
    handler: async (request) => (await tickets.ownQueue(request.actor)).map((row) => ({ ...row, callerNumber: maskPhone(row.callerNumber) })),
  });
}
