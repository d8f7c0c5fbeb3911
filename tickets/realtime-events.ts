import { z } from 'zod';
import { defineEvents } from '../platform/event-specs.ts';

/**
 * The tickets capability's realtime events (docs/api.md): stage notices, published by the notify job
 * (jobs.ts `sendNotice`) to the users the notice names; the api capability's hub serves them.
 */
const id = z.string().min(1);
export const ticketEvents = defineEvents({
  'ticket.assigned': { to: 'the handler, their department head', data: z.object({ ticketId: id, number: z.string(), handlerUserId: id.nullable(), departmentId: id.nullable(), dueAt: z.string() }) },
  'ticket.due_soon': { to: 'the handler, their department head', data: z.object({ ticketId: id, number: z.string(), dueAt: z.string() }) },
  'ticket.overdue': { to: 'the handler, their department head, managers', data: z.object({ ticketId: id, number: z.string(), dueAt: z.string(), chaseCount: z.number().int() }) },
  'ticket.chased': { to: 'the handler, their department head', data: z.object({ ticketId: id, number: z.string(), reason: z.string() }) },
  'ticket.escalated': { to: 'level 1: the handler and their department head; level 2: managers and the handler', data: z.object({ ticketId: id, number: z.string(), level: z.number().int(), reason: z.string() }) },
  'ticket.replied': { to: 'the operator who owns the ticket', data: z.object({ ticketId: id, number: z.string(), repliedBy: id }) },
});
