import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../platform/user-roles.ts';
import { confidentialCategories, viewAs } from './confidential.ts';
import type { TicketContext } from './context.ts';
import { deliveries } from './outbox.sql.ts';
import { tickets } from './tickets.sql.ts';

/** The stages in which the ticket's owner has something to do: relay the reply (feedback), make the return visit (callback). */
export const ownQueueStages = ['feedback', 'callback'] as const;

/** The latest relay of a reply: under way (requested, sending, sent), delivered, or failed with the reason. */
export interface LastRelay {
  channel: string;
  status: string;
  detail: string | null;
  at: Date;
}

/**
 * The operator's own queue (首问负责): tickets of their court they own, waiting for the reply to be relayed or for
 * the return visit, oldest reply first (at most 200), each with its latest relay (a failed one says why). Numbers
 * as stored: a list shows them masked.
 */
export async function ownQueue(ctx: Pick<TicketContext, 'db'>, actor: Actor) {
  const rows = await ctx.db
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
      confidential: tickets.confidential,
      handlerUserId: tickets.handlerUserId,
      handlerDepartmentId: tickets.handlerDepartmentId,
    })
    .from(tickets)
    .where(and(eq(tickets.courtId, actor.courtId), eq(tickets.ownerId, actor.userId), inArray(tickets.stage, [...ownQueueStages])))
    .orderBy(asc(tickets.repliedAt), asc(tickets.createdAt))
    .limit(200);
  const [relays, codes] = await Promise.all([lastRelays(ctx, rows.map((r) => r.id)), confidentialCategories(ctx.db)]);
  // The owner (an operator) reads a confidential ticket masked like anyone who does not handle it (confidential.ts).
  return rows.map((row) => ({ ...viewAs(actor, row, codes), stage: row.stage as (typeof ownQueueStages)[number], lastRelay: relays.get(row.id) ?? null }));
}

async function lastRelays(ctx: Pick<TicketContext, 'db'>, ticketIds: string[]): Promise<Map<string, LastRelay>> {
  const out = new Map<string, LastRelay>();
  if (ticketIds.length === 0) return out;
  const rows = await ctx.db
    .selectDistinctOn([deliveries.ticketId], { ticketId: deliveries.ticketId, channel: deliveries.channel, status: deliveries.status, detail: deliveries.detail, at: deliveries.updatedAt })
    .from(deliveries)
    .where(and(inArray(deliveries.ticketId, ticketIds), eq(deliveries.purpose, 'feedback')))
    .orderBy(deliveries.ticketId, desc(deliveries.createdAt));
  for (const { ticketId, ...relay } of rows) out.set(ticketId, relay);
  return out;
}
