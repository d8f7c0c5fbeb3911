import { z } from 'zod';
import { passwordRules } from '../auth/passwords.ts';
import { text } from '../../platform/text.ts';
import { phoneOrExtension, sipEndpoint, userRole, username } from '../../platform/http/schemas.ts';

export const password = z.string().min(passwordRules.min).max(passwordRules.max);

export const createUserBody = z.strictObject({
  username,
  displayName: text(100),
  role: userRole,
  departmentId: z.uuid().nullable().optional(),
  sipEndpoint: sipEndpoint.nullable().optional(),
  extension: phoneOrExtension.nullable().optional(),
  password,
});
export type CreateUser = z.infer<typeof createUserBody>;

export const updateUserBody = z
  .strictObject({
    displayName: text(100),
    role: userRole,
    departmentId: z.uuid().nullable(),
    sipEndpoint: sipEndpoint.nullable(),
    extension: phoneOrExtension.nullable(),
    active: z.boolean(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');
export type UpdateUser = z.infer<typeof updateUserBody>;

export const setPasswordBody = z.strictObject({ password });

export const listUsersQuery = z.strictObject({
  role: userRole.optional(),
  departmentId: z.uuid().optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const userSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: userRole,
    courtId: z.uuid(),
    departmentId: z.uuid().nullable(),
    sipEndpoint: z.string().nullable(),
    /** Masked in lists when it is a phone number. */
    extension: z.string().nullable(),
    active: z.boolean(),
    hasPassword: z.boolean(),
    createdAt: z.date(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userSchema>;

export const sipEndpointRenameSchema = z
  .object({ userId: z.uuid(), username: z.string(), fromEndpoint: z.string(), toEndpoint: z.string(), renamedAt: z.date() })
  .meta({ id: 'SipEndpointRename' });
