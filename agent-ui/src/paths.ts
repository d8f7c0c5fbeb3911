/**
 * The console's client-side routes. The server answers each with index.html (agent-ui/server/plugin.ts),
 * so a reload or a bookmarked address opens the same page.
 */
export const paths = {
  signIn: '/sign-in',
  desk: '/desk',
  inbox: '/inbox',
  dashboard: '/dashboard',
  kpi: '/kpi',
  knowledge: '/knowledge',
  adminUsers: '/admin/users',
  adminDepartments: '/admin/departments',
} as const;

/** A built-in page's address, or one a feature folder adds (features/feature.ts). */
export type ConsolePath = (typeof paths)[keyof typeof paths] | `/${string}`;
