import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { departments } from '../../platform/directory.sql.ts';
import { text } from '../../platform/text.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { errors } from '../../platform/http/errors.ts';
import { phoneOrExtension } from '../../platform/http/schemas.ts';
import { assertSameCourt } from '../../platform/court-scope.ts';
import { isUniqueViolation } from './unique-violation.ts';

export const departmentSchema = z
  .object({ id: z.uuid(), courtId: z.uuid(), name: z.string(), extension: z.string().nullable(), active: z.boolean(), createdAt: z.date() })
  .meta({ id: 'Department' });
export const createDepartmentBody = z.strictObject({ name: text(100), extension: phoneOrExtension.nullable().optional() });
export const updateDepartmentBody = z
  .strictObject({ name: text(100), extension: phoneOrExtension.nullable(), active: z.boolean() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'name at least one field to change');

const taken = () => errors.conflict('A department with that name exists.', '已存在同名部门。');

/** A court's departments (庭室): the handlers of work orders. */
export class DepartmentsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  list(actor: Actor) {
    return this.db.select().from(departments).where(eq(departments.courtId, actor.courtId)).orderBy(departments.name);
  }

  async create(actor: Actor, input: z.infer<typeof createDepartmentBody>, ip: string) {
    return this.db
      .transaction(async (tx) => {
        const [created] = await tx.insert(departments).values({ courtId: actor.courtId, name: input.name, extension: input.extension ?? null }).returning();
        if (!created) throw errors.internal();
        await this.audit.record({ action: 'department.created', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'department', targetId: created.id, detail: { name: input.name }, ip }, tx);
        return created;
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? taken() : err;
      });
  }

  async update(actor: Actor, departmentId: string, change: z.infer<typeof updateDepartmentBody>, ip: string) {
    const [before] = await this.db.select().from(departments).where(eq(departments.id, departmentId));
    assertSameCourt(actor, before, 'department');
    return this.db
      .transaction(async (tx) => {
        const [updated] = await tx.update(departments).set(change).where(and(eq(departments.id, departmentId), eq(departments.courtId, actor.courtId))).returning();
        if (!updated) throw errors.notFound('department');
        await this.audit.record({ action: 'department.updated', courtId: actor.courtId, actorUserId: actor.userId, targetType: 'department', targetId: departmentId, detail: { fields: Object.keys(change) }, ip }, tx);
        return updated;
      })
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? taken() : err;
      });
  }
}
