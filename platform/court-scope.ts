import { and, eq, or, sql, type Column, type SQL } from 'drizzle-orm';
import type { Actor } from './user-roles.ts';
import { errors } from './http/errors.ts';

/**
 * Court scoping, the same for every capability:
 * - everyone sees only their own court's data;
 * - judges see their own and their department's handler data (tickets); department heads their department's;
 * - operators, managers and admins see the whole court.
 */
export type Visibility =
  | { kind: 'court'; courtId: string }
  | { kind: 'department'; courtId: string; departmentId: string | null }
  | { kind: 'own-and-department'; courtId: string; userId: string; departmentId: string | null };

export function visibilityOf(actor: Actor): Visibility {
  switch (actor.role) {
    case 'judge':
      return { kind: 'own-and-department', courtId: actor.courtId, userId: actor.userId, departmentId: actor.departmentId };
    case 'department_head':
      return { kind: 'department', courtId: actor.courtId, departmentId: actor.departmentId };
    default:
      return { kind: 'court', courtId: actor.courtId };
  }
}

/** The columns of a table that carries handler data (a ticket: court, handling user, handling department). */
export interface ScopedColumns {
  courtId: Column;
  handlerUserId?: Column;
  departmentId?: Column;
}

/**
 * A WHERE condition limiting rows to what the actor may see. A judge or head whose department is unknown
 * sees only what names them (or nothing). Use it in every list and every by-id read.
 */
export function scopeCondition(actor: Actor, columns: ScopedColumns): SQL {
  const visibility = visibilityOf(actor);
  const inCourt = eq(columns.courtId, actor.courtId);
  if (visibility.kind === 'court') return inCourt;
  const byDepartment = visibility.departmentId && columns.departmentId ? eq(columns.departmentId, visibility.departmentId) : undefined;
  const byUser = visibility.kind === 'own-and-department' && columns.handlerUserId ? eq(columns.handlerUserId, visibility.userId) : undefined;
  const either = or(...[byDepartment, byUser].filter((c): c is SQL => c !== undefined));
  return and(inCourt, either ?? sql`false`) as SQL;
}

/** In-memory check of one loaded row (e.g. before a command): throws not_found when the actor may not see it. */
export function assertVisible(actor: Actor, row: { courtId: string; handlerUserId?: string | null; departmentId?: string | null } | undefined, what = 'record'): asserts row {
  if (!row || !canSee(actor, row)) throw errors.notFound(what);
}

export function canSee(actor: Actor, row: { courtId: string; handlerUserId?: string | null; departmentId?: string | null }): boolean {
  if (row.courtId !== actor.courtId) return false;
  const visibility = visibilityOf(actor);
  if (visibility.kind === 'court') return true;
  const sameDepartment = visibility.departmentId !== null && row.departmentId === visibility.departmentId;
  if (visibility.kind === 'department') return sameDepartment;
  return sameDepartment || row.handlerUserId === visibility.userId;
}

/** Throws not_found (never forbidden, so another court's ids reveal nothing) unless the row is in the actor's court. */
export function assertSameCourt<Row extends { courtId: string }>(actor: Actor, row: Row | undefined, what = 'record'): asserts row is Row {
  if (!row || row.courtId !== actor.courtId) throw errors.notFound(what);
}
