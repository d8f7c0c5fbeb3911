import type { Audience } from '../../platform/events.ts';
import type { Actor } from '../../platform/user-roles.ts';

/** Whether an event's audience names this user (the court is checked by the hub). An empty audience names no one. */
export function audienceIncludes(audience: Audience, actor: Pick<Actor, 'userId' | 'role'>): boolean {
  return Boolean(audience.roles?.includes(actor.role) || audience.userIds?.includes(actor.userId));
}
