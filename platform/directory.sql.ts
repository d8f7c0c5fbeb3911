import { boolean, index, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { userRoles } from './user-roles.ts';
import { courts, platformSchema } from './courts.sql.ts';

export const userRole = platformSchema.enum('user_role', userRoles);

/** A court's departments (庭室/部门): handlers of work orders, with a head who approves extensions. */
export const departments = platformSchema.table(
  'departments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courtId: uuid('court_id').notNull().references(() => courts.id),
    name: text('name').notNull(),
    /** Phone number or extension callers are transferred to when no one person is named. */
    extension: varchar('extension', { length: 64 }),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('departments_court_name').on(t.courtId, t.name)],
);

/**
 * Everyone who works in the hotline or receives its work: operators, judges, heads, managers, admins.
 * The directory every capability reads; sign-in credentials are the api capability's own.
 */
export const users = platformSchema.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courtId: uuid('court_id').notNull().references(() => courts.id),
    username: varchar('username', { length: 64 }).notNull(),
    displayName: text('display_name').notNull(),
    role: userRole('role').notNull(),
    departmentId: uuid('department_id').references(() => departments.id),
    /**
     * Operators: the PJSIP endpoint of their browser softphone, e.g. "J0811-op1001"; unique across the deployment
     * (two users on one endpoint would share its line and its SIP password: docs/api.md, users).
     */
    sipEndpoint: varchar('sip_endpoint', { length: 64 }),
    /** Judges and heads: where transferred calls ring (extension or outside number). */
    extension: varchar('extension', { length: 64 }),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username').on(t.username), uniqueIndex('users_sip_endpoint').on(t.sipEndpoint), index('users_court_role').on(t.courtId, t.role), index('users_department').on(t.departmentId)],
);
