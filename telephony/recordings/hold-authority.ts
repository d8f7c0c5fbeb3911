import { HotlineError } from '../../platform/errors.ts';

/** Who may put a legal hold on a recording, weakest first: a hold's weight is its placer's role when placed. */
export const holderRoles = ['department_head', 'manager', 'admin'] as const;
export type HolderRole = (typeof holderRoles)[number];

const rank = (role: string) => holderRoles.indexOf(role as HolderRole);
export const isHolderRole = (role: string): role is HolderRole => rank(role) >= 0;
const roleNames: Record<HolderRole, { en: string; zh: string }> = {
  department_head: { en: 'a department head', zh: '庭长（部门负责人）' },
  manager: { en: 'a manager', zh: '管理人员' },
  admin: { en: 'the admin', zh: '系统管理员' },
};

/**
 * A hold is lifted only by someone with at least its placer's authority in the court: a head lifts a head's hold, a
 * manager a head's or a manager's, the admin any. So a hold a manager placed for a complaint cannot be undone below.
 */
export function mayLiftHold(actorRole: string, placedByRole: HolderRole): boolean {
  return isHolderRole(actorRole) && rank(actorRole) >= rank(placedByRole);
}

export function holdLiftNotAllowed(placedByRole: HolderRole): HotlineError {
  const allowed = holderRoles.slice(rank(placedByRole));
  const list = (lang: 'en' | 'zh') => allowed.map((r) => roleNames[r][lang]).join(lang === 'en' ? ' or ' : '或');
  return new HotlineError(
    'hold_lift_not_allowed',
    403,
    `This legal hold was placed by ${roleNames[placedByRole].en}: only ${list('en')} of the court may lift it. Nothing was changed.`,
    `该保全由${roleNames[placedByRole].zh}设置，只有本院${list('zh')}可以解除。未做任何更改。`,
  );
}
