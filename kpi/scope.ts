import { errors } from '../platform/http/errors.ts';
import type { Actor } from '../platform/user-roles.ts';
import type { KpiFilter } from './query.ts';
import type { KpiQueryInput } from './schemas.ts';

/**
 * What slice of the court's figures the actor may see: managers and admins the whole court; an operator
 * their own calls and tickets; a judge the tickets handed to them; a head their department's. Asking for
 * someone else's slice is refused (403); the court is always the actor's own.
 */
export function scopedFilter(actor: Actor, q: Pick<KpiQueryInput, 'operatorId' | 'departmentId' | 'judgeId' | 'category'>): KpiFilter {
  const filter: KpiFilter = { courtId: actor.courtId, operatorId: q.operatorId, departmentId: q.departmentId, judgeId: q.judgeId, category: q.category };
  const only = (field: 'operatorId' | 'departmentId' | 'judgeId', value: string | null) => {
    if (!value) throw errors.forbidden();
    if (filter[field] && filter[field] !== value) throw errors.forbidden();
    filter[field] = value;
  };
  switch (actor.role) {
    case 'operator':
      only('operatorId', actor.userId);
      break;
    case 'judge':
      only('judgeId', actor.userId);
      break;
    case 'department_head':
      only('departmentId', actor.departmentId);
      break;
    default:
      break;
  }
  return filter;
}
