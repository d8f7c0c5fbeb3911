import { changeTicket, type TicketRow } from './change.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { conflict } from './errors.ts';
import { handlerAndHead, handlerAudience, managers } from './notices.ts';
import { z } from 'zod';
import { multilineText } from '../platform/text.ts';
import { parseInput } from './schemas.ts';

export const escalateSchema = z.strictObject({ reason: multilineText(1000) });

/** The highest chase level: 1 = the handler's department head is involved, 2 = the managers are. */
export const topChaseLevel = 2;

/**
 * Escalation by hand (督办升级), the same step the overdue timers take (chase-batch.ts): the ticket moves to chase
 * and its chase level goes up one. Level 1 tells the handler and the department head; level 2 tells the managers
 * and the handler. A head escalates their department's tickets, a manager any of the court's; the reason is
 * kept in the audited event and sent with the notice.
 */
export async function escalate(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { reason: string }): Promise<TicketRow> {
  const { reason } = parseInput(escalateSchema, input);
  return changeTicket(ctx, actor, ticketId, 'escalate', (ticket) => {
    if (ticket.chaseLevel >= topChaseLevel) {
      throw conflict('chase_level_at_top', 'The ticket is already escalated to the managers', '该工单已升级至管理人员督办，不能再升级');
    }
    const level = ticket.chaseLevel + 1;
    const audience = level === 1 ? handlerAndHead(ticket) : { ...managers, userIds: handlerAudience(ticket).userIds ?? [], departments: handlerAudience(ticket).departments ?? [] };
    return {
      patch: { chaseLevel: level },
      reason,
      eventExtra: { manual: true, level },
      notices: [{ type: 'ticket.escalated', audience, data: { level, reason } }],
    };
  });
}
