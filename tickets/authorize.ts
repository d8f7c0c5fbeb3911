import type { TicketActor } from './context.ts';
import { forbidden } from './errors.ts';
import type { TicketAction } from './stage-machine.ts';

interface Handled {
  handlerUserId: string | null;
  handlerDepartmentId: string | null;
}

/** The ticket is handed to this judge, or to their department with no one person named. */
export function isHandler(actor: TicketActor, ticket: Handled): boolean {
  if (ticket.handlerUserId) return ticket.handlerUserId === actor.userId;
  return ticket.handlerDepartmentId !== null && ticket.handlerDepartmentId === actor.departmentId;
}

/** The actor heads the department the ticket is handed to. */
export function isHeadOf(actor: TicketActor, ticket: Handled): boolean {
  return actor.role === 'department_head' && ticket.handlerDepartmentId !== null && ticket.handlerDepartmentId === actor.departmentId;
}

/**
 * On top of the stage machine's role check: judges act only on tickets handed to them (or to their department
 * unassigned), heads only on their department's. Court scope is checked before this (other courts' tickets
 * are "not found").
 */
export function authorize(actor: TicketActor, ticket: Handled, action: TicketAction): void {
  if (actor.role === 'judge' && !isHandler(actor, ticket)) {
    throw forbidden(`This ticket is not handed to you (${action})`, '该工单未交办给您，不能办理');
  }
  if (actor.role === 'department_head' && !isHeadOf(actor, ticket)) {
    throw forbidden(`This ticket is not handed to your department (${action})`, '该工单未交办给您所在部门，不能办理');
  }
}

/** Who may read a ticket: everyone at the hotline of its court, and judges and heads for what is handed to them. */
export function canRead(actor: TicketActor, ticket: Handled & { courtId: string }): boolean {
  if (ticket.courtId !== actor.courtId) return false;
  if (actor.role === 'judge') return isHandler(actor, ticket);
  if (actor.role === 'department_head') return isHeadOf(actor, ticket);
  return true;
}
