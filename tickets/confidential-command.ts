import { z } from 'zod';
import { multilineText } from '../platform/text.ts';
import { changeTicket, type TicketRow } from './change.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { conflict } from './errors.ts';
import { parseInput } from './schemas.ts';

export const markConfidentialSchema = z.strictObject({ reason: multilineText(500) });

/**
 * Marks a ticket confidential after registration (保密): the operator or a manager, or its handler or the head of
 * its department. A mark is never taken off (its trail says who marked it, when and why). Who then reads it in
 * full: confidential.ts.
 */
export async function markConfidential(ctx: TicketContext, actor: TicketActor, ticketId: string, input: { reason: string }): Promise<TicketRow> {
  const { reason } = parseInput(markConfidentialSchema, input);
  return changeTicket(ctx, actor, ticketId, 'mark_confidential', (ticket) => {
    if (ticket.confidential) throw conflict('already_confidential', 'This ticket is already marked confidential', '该工单已标记为保密');
    return { patch: { confidential: true }, reason };
  });
}
