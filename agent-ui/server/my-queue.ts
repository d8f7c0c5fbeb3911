import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { errorResponses, type ApiApp } from '../../platform/http/schemas.ts';
import type { Db } from '../../platform/db/client.ts';
import { maskPhone } from '../../platform/masking.ts';
import { deliveries } from '../../tickets/outbox.sql.ts';
import { tickets } from '../../tickets/tickets.sql.ts';

/**
 * The operator's own queue (首问负责): tickets they own whose reply is to be relayed to the caller (feedback)
 * or whose return visit is due (callback), each with its latest relay (a failed one shows why). The tickets capability has no "tickets I own" list yet, so the
 * console reads its table here, read-only and narrowed to the signed-in operator; every change still goes
 * through the tickets routes (relay, delivery, callback). Numbers are masked as in every list: opening the
 * ticket (GET /api/tickets/:id) gives the full number to call.
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
    /** The latest relay of the reply: under way (requested, sending, sent), delivered, or failed with the reason. */
    lastRelay: z.object({ channel: z.string(), status: z.string(), detail: z.string().nullable(), at: z.date() }).nullable(),
  })
  .meta({ id: 'MyQueueItem' });

/** The latest feedback relay of each ticket (tickets.deliveries, read-only like the tickets above). */
async function lastRelays(db: Db, ticketIds: string[]) {
  const out = new Map<string, { channel: string; status: string; detail: string | null; at: Date }>();
  if (ticketIds.length === 0) return out;
  const rows = await db
    .selectDistinctOn([deliveries.ticketId], { ticketId: deliveries.ticketId, channel: deliveries.channel, status: deliveries.status, detail: deliveries.detail, at: deliveries.updatedAt })
    .from(deliveries)
    .where(and(inArray(deliveries.ticketId, ticketIds), eq(deliveries.purpose, 'feedback')))
    .orderBy(deliveries.ticketId, desc(deliveries.createdAt));
  for (const { ticketId, ...relay } of rows) out.set(ticketId, relay);
  return out;
}

export function registerMyQueueRoute(app: ApiApp, db: Db): void {
  app.get('/api/console/my-queue', {
    config: { roles: ['operator'] },
    schema: { tags: ['console'], summary: 'Tickets I own waiting for the reply to be relayed or for the return visit, oldest reply first', response: { 200: z.array(queueItem), ...errorResponses } },
    handler: async (request) => {
      const rows = await db
        .select({
          id: tickets.id,
          number: tickets.number,
          stage: tickets.stage,
          category: tickets.category,
          summary: tickets.summary,
          callerNumber: tickets.callerNumber,
          callerName: tickets.callerName,
          caseNumber: tickets.caseNumber,
          feedbackText: tickets.feedbackText,
          repliedAt: tickets.repliedAt,
          deliveryChannel: tickets.deliveryChannel,
          deliveredAt: tickets.deliveredAt,
          answeredOnSpot: tickets.answeredOnSpot,
          reopenCount: tickets.reopenCount,
        })
        .from(tickets)
        .where(and(eq(tickets.courtId, request.actor.courtId), eq(tickets.ownerId, request.actor.userId), inArray(tickets.stage, ['feedback', 'callback'])))
        .orderBy(asc(tickets.repliedAt), asc(tickets.createdAt))
        .limit(200);
      const relays = await lastRelays(db, rows.map((r) => r.id));
      return rows.map((row) => ({ ...row, stage: row.stage as 'feedback' | 'callback', callerNumber: maskPhone(row.callerNumber), lastRelay: relays.get(row.id) ?? null }));
    },
  });
}
