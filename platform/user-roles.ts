/** The roles a person can have in the hotline; one source for code, schemas and the UI. */
export const userRoles = ['operator', 'judge', 'department_head', 'manager', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

/** Who is acting: every command that changes data takes one, and every event records it. */
export interface Actor {
  userId: string;
  role: UserRole;
  courtId: string;
  departmentId: string | null;
}

/** A change made by the system itself (timers, telephony), not by a signed-in person. */
export const systemActorId = '00000000-0000-0000-0000-000000000000';
