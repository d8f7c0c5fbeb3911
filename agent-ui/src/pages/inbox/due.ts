import type { Ticket } from '../../api/types.ts';

export type DueState = 'overdue' | 'due_soon' | 'on_time' | 'none';

/** How close a ticket is to its deadline; "due soon" matches the inbox's default window of 24 hours. */
export function dueState(ticket: Pick<Ticket, 'deadline' | 'stage'>, now = Date.now(), soonMs = 24 * 3600_000): DueState {
  if (!ticket.deadline || !['handoff', 'chase'].includes(ticket.stage)) return 'none';
  const left = Date.parse(ticket.deadline) - now;
  if (left < 0) return 'overdue';
  return left <= soonMs ? 'due_soon' : 'on_time';
}
