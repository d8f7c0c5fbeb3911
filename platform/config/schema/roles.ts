import { z } from 'zod';

/** The process roles; one deployment may run any subset in one process (default: all). */
export const roles = ['api', 'telephony', 'workers'] as const;
export type Role = (typeof roles)[number];

const roleList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.enum(roles)).min(1).transform((list) => [...new Set(list)]),
);

/** The process roles this process runs. */
export const rolesSchema = roleList.default([...roles]);

export const rolesEnv = {
  roles: 'HOTLINE_ROLES',
} as const;

export const rolesHints: Record<keyof typeof rolesEnv, string> = {
  roles: `a comma-separated list of ${roles.join(', ')} (e.g. "api,workers")`,
};
