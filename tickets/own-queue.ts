import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '../platform/user-roles.ts';
import type { TicketContext } from './context.ts';
import { tickets } from './tickets.sql.ts';

/** The stages in which the ticket's owner has something to do: relay the reply (feedback), make the return visit (callback). */
export const ownQueueStages = ['feedback', 'callback'] as const;

/**
 * The operator's own queue (首问负责): tickets of their court they own, waiting for the reply to be relayed or for
 * the return visit, oldest reply first (at most 200). Numbers as stored: a list shows them masked.
 */
export async function ownQueue(ctx: Pick<TicketContext, 'db'>, actor: Pick<Actor, 'courtId' | 'userId'>) {
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
    })
    .from(tickets)
    .where(and(eq(tickets.courtId, actor.courtId), eq(tickets.ownerId, actor.userId), inArray(tickets.stage, [...ownQueueStages])))
    .orderBy(asc(tickets.repliedAt), asc(tickets.createdAt))
    .limit(200);
  return rows.map((row) => ({ ...row, stage: row.stage as (typeof ownQueueStages)[number] }));
}
