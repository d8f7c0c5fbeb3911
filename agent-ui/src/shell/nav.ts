import type { UserRole } from '../api/types.ts';
import { paths, type ConsolePath } from '../paths.ts';

export interface NavItem {
  path: ConsolePath;
  /** i18n key of the label */
  label: string;
  roles: UserRole[];
}

/** The pages, in menu order, and the roles that may open each (the API enforces the same on its routes). */
export const navItems: NavItem[] = [
  { path: paths.desk, label: 'nav.desk', roles: ['operator'] },
  { path: paths.inbox, label: 'nav.inbox', roles: ['judge', 'department_head'] },
  { path: paths.adminUsers, label: 'nav.adminUsers', roles: ['admin'] },
  { path: paths.adminDepartments, label: 'nav.adminDepartments', roles: ['admin'] },
  { path: paths.dashboard, label: 'nav.dashboard', roles: ['manager', 'admin'] },
  { path: paths.kpi, label: 'nav.kpi', roles: ['manager', 'admin'] },
  { path: paths.knowledge, label: 'nav.knowledge', roles: ['manager', 'admin'] },
];

export function navFor(role: UserRole): NavItem[] {
  return navItems.filter((item) => item.roles.includes(role));
}

/** Where a role lands after sign-in. */
export function homeFor(role: UserRole): ConsolePath {
  return navFor(role)[0]?.path ?? paths.signIn;
}
