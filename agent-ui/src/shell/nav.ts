import type { UserRole } from '../api/types.ts';
import { featurePages } from '../features/registry.ts';
import { paths, type ConsolePath } from '../paths.ts';

export interface NavItem {
  path: ConsolePath;
  /** i18n key of the label */
  label: string;
  roles: UserRole[];
  /** Menu position (features place their pages between these). */
  order: number;
  /** False: routed, but reached by link only. */
  menu?: boolean;
}

/** The built-in pages and the roles that may open each (the API enforces the same on its routes). */
const builtInItems: NavItem[] = [
  { path: paths.desk, label: 'nav.desk', roles: ['operator'], order: 10 },
  { path: paths.inbox, label: 'nav.inbox', roles: ['judge', 'department_head'], order: 20 },
  { path: paths.adminUsers, label: 'nav.adminUsers', roles: ['admin'], order: 30 },
  { path: paths.adminDepartments, label: 'nav.adminDepartments', roles: ['admin'], order: 40 },
  { path: paths.dashboard, label: 'nav.dashboard', roles: ['manager', 'admin'], order: 50 },
  { path: paths.kpi, label: 'nav.kpi', roles: ['manager', 'admin'], order: 60 },
  { path: paths.knowledge, label: 'nav.knowledge', roles: ['manager', 'admin'], order: 70 },
];

/** Every page in menu order: the built-in ones and those the feature folders add (features/registry.ts). */
export const navItems: NavItem[] = [...builtInItems, ...featurePages].sort((a, b) => a.order - b.order);

export function navFor(role: UserRole): NavItem[] {
  return navItems.filter((item) => item.menu !== false && item.roles.includes(role));
}

/** Where a role lands after sign-in: its first built-in page (a feature's page never takes a role's home). */
export function homeFor(role: UserRole): ConsolePath {
  return builtInItems.find((item) => item.roles.includes(role))?.path ?? navFor(role)[0]?.path ?? paths.signIn;
}
