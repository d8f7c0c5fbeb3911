import { userRoles, type UserRole } from '../platform/user-roles.ts';
import { HotlineError } from '../platform/errors.ts';
import { conflict, invalid } from './errors.ts';
import { stages, type Stage } from './vocabulary.ts';

/** Who can act: a signed-in person's role, or the system itself (timers, telephony, workers). */
export type ActorRole = UserRole | 'system';
export const actorRoles: readonly ActorRole[] = [...userRoles, 'system'];

const open = ['answer', 'handoff', 'chase', 'feedback', 'callback'] as const satisfies readonly Stage[];
const withHandler = ['handoff', 'chase'] as const satisfies readonly Stage[];

/**
 * THE table of ticket transitions: from which stages an action may be taken, the stage it leads to
 * ('same' = stays), and which roles may take it. Whether a person is the ticket's handler, or head of its
 * department, is checked by the service on top of this.
 */
export const transitions = [
  { action: 'attach_call', from: open, to: 'same', roles: ['operator', 'manager', 'system'] },
  { action: 'edit', from: open, to: 'same', roles: ['operator', 'manager', 'system'] },
  { action: 'claim', from: ['answer'], to: 'same', roles: ['operator'] },
  { action: 'answer_on_spot', from: ['answer'], to: 'closed', roles: ['operator', 'manager'] },
  { action: 'answer_on_spot_with_callback', from: ['answer'], to: 'callback', roles: ['operator', 'manager'] },
  { action: 'hand_off', from: ['answer'], to: 'handoff', roles: ['operator', 'manager', 'system'] },
  { action: 'accept', from: withHandler, to: 'same', roles: ['judge', 'department_head'] },
  { action: 'reassign', from: withHandler, to: 'same', roles: ['department_head', 'manager'] },
  { action: 'request_extension', from: withHandler, to: 'same', roles: ['judge', 'department_head'] },
  { action: 'approve_extension', from: withHandler, to: 'handoff', roles: ['department_head', 'manager'] },
  { action: 'refuse_extension', from: withHandler, to: 'same', roles: ['department_head', 'manager'] },
  { action: 'remind', from: ['handoff'], to: 'same', roles: ['system'] },
  { action: 'escalate', from: withHandler, to: 'chase', roles: ['department_head', 'manager', 'system'] },
  { action: 'chase', from: withHandler, to: 'chase', roles: ['department_head', 'manager'] },
  { action: 'reply', from: withHandler, to: 'feedback', roles: ['judge', 'department_head'] },
  { action: 'relay_feedback', from: ['feedback'], to: 'same', roles: ['operator', 'manager'] },
  { action: 'record_delivery', from: ['feedback'], to: 'callback', roles: ['operator', 'manager', 'system'] },
  { action: 'close_after_callback', from: ['callback'], to: 'closed', roles: ['operator', 'manager', 'system'] },
  { action: 'reopen', from: ['callback'], to: 'handoff', roles: ['operator', 'manager', 'system'] },
  { action: 'void', from: open, to: 'void', roles: ['manager'] },
  { action: 'mark_confidential', from: open, to: 'same', roles: ['operator', 'manager', 'judge', 'department_head'] },
] as const satisfies readonly { action: string; from: readonly Stage[]; to: Stage | 'same'; roles: readonly ActorRole[] }[];

export type TicketAction = (typeof transitions)[number]['action'];
export const ticketActions: readonly TicketAction[] = transitions.map((t) => t.action);

const byAction = new Map<string, (typeof transitions)[number]>(transitions.map((t) => [t.action, t]));

const stageZh: Record<Stage, string> = { answer: '接听', handoff: '交办', chase: '督办', feedback: '反馈', callback: '回访', closed: '办结', void: '作废' };

/**
 * The stage machine: the stage a ticket moves to when `role` takes `action` in `stage`, or a HotlineError
 * (409 illegal_transition, 403 role_not_allowed) that the caller throws before writing anything.
 */
export function nextStage(stage: Stage, action: TicketAction, role: ActorRole): { ok: true; stage: Stage } | { ok: false; error: HotlineError } {
  const transition = byAction.get(action);
  if (!transition) {
    return { ok: false, error: invalid('unknown_action', `Unknown ticket action "${action}"`, `未知的工单操作“${action}”`) };
  }
  if (!(transition.from as readonly Stage[]).includes(stage)) {
    return {
      ok: false,
      error: conflict('illegal_transition', `A ticket in stage "${stage}" cannot take action "${action}"`, `工单处于“${stageZh[stage]}”环节，不能执行该操作（${action}）`),
    };
  }
  if (!(transition.roles as readonly ActorRole[]).includes(role)) {
    return {
      ok: false,
      error: new HotlineError('role_not_allowed', 403, `Role "${role}" may not take action "${action}"`, `当前角色无权执行该操作（${action}）`),
    };
  }
  return { ok: true, stage: transition.to === 'same' ? stage : transition.to };
}

/** The people's roles the table allows for these actions (`system` never calls over HTTP): what a route declares. */
export function rolesFor(...actions: TicketAction[]): UserRole[] {
  const roles = new Set<UserRole>();
  for (const t of transitions) if ((actions as readonly string[]).includes(t.action)) for (const r of t.roles) if (r !== 'system') roles.add(r);
  return [...roles];
}

/** nextStage, throwing its error. */
export function mustTransition(stage: Stage, action: TicketAction, role: ActorRole): Stage {
  const result = nextStage(stage, action, role);
  if (!result.ok) throw result.error;
  return result.stage;
}

export { stages };
