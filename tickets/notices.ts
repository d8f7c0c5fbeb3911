import type { NotifyJob } from './queues.ts';

type Audience = NotifyJob['audience'];
interface Handled {
  handlerUserId: string | null;
  handlerDepartmentId: string | null;
}

/** The handler: the named judge, or every judge and head of the department when no one is named. */
export function handlerAudience(handler: Handled): Audience {
  if (handler.handlerUserId) return { userIds: [handler.handlerUserId] };
  return handler.handlerDepartmentId ? { departments: [{ id: handler.handlerDepartmentId, roles: ['judge', 'department_head'] }] } : managers;
}

/** The head(s) of the handling department. */
export function headAudience(handler: Handled): Audience {
  return handler.handlerDepartmentId ? { departments: [{ id: handler.handlerDepartmentId, roles: ['department_head'] }] } : managers;
}

/** The handler and the head(s) of the handling department (level-1 escalation). */
export function handlerAndHead(handler: Handled): Audience {
  const handlerPart = handlerAudience(handler);
  const headPart = headAudience(handler);
  return { userIds: handlerPart.userIds ?? [], departments: [...(handlerPart.departments ?? []), ...(headPart.departments ?? [])] };
}

export const managers: Audience = { roles: ['manager'] };
export const operators: Audience = { roles: ['operator'] };

/** The operator who owns the ticket (首问负责), or all operators when none does yet. */
export function ownerAudience(ownerId: string | null): Audience {
  return ownerId ? { userIds: [ownerId] } : operators;
}
