import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { text } from '../platform/text.ts';
import { categories } from './categories.sql.ts';
import type { TicketActor, TicketContext } from './context.ts';
import { conflict, forbidden, notFound } from './errors.ts';
import { parseInput } from './schemas.ts';
import { dayKinds } from './vocabulary.ts';

/** Admin edits of categories (deadline policies); rows are changed, never deleted. The calendar: calendar-admin.ts. */
export const categoryCode = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'lower-case letters, digits and "_"');

const categoryFields = {
  nameZh: text(100),
  nameEn: text(100),
  deadlineDays: z.number().int().min(0).max(365),
  dayKind: z.enum(dayKinds),
  callbackWhenAnsweredOnSpot: z.boolean(),
  active: z.boolean(),
  /** Every ticket of the category is confidential (保密), those registered before included. */
  confidential: z.boolean(),
  sortOrder: z.number().int().min(-100_000).max(100_000),
};
export const categorySchema = z.strictObject({
  ...categoryFields,
  code: categoryCode,
  deadlineDays: categoryFields.deadlineDays.default(3),
  dayKind: categoryFields.dayKind.default('calendar'),
  callbackWhenAnsweredOnSpot: categoryFields.callbackWhenAnsweredOnSpot.default(false),
  active: categoryFields.active.default(true),
  confidential: categoryFields.confidential.default(false),
  sortOrder: categoryFields.sortOrder.default(100),
});
/** No defaults: a patch changes only the fields it names. */
export const categoryPatchSchema = z
  .strictObject(categoryFields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change');

function mustBeAdmin(actor: TicketActor) {
  if (actor.role !== 'admin') throw forbidden('Only an admin edits categories', '只有系统管理员可以维护工单类别');
}

export async function listCategories(ctx: TicketContext) {
  return ctx.db.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.code));
}

export async function addCategory(ctx: TicketContext, actor: TicketActor, input: z.input<typeof categorySchema>) {
  mustBeAdmin(actor);
  const row = parseInput(categorySchema, input);
  const [created] = await ctx.db.insert(categories).values(row).onConflictDoNothing().returning();
  if (!created) throw conflict('category_exists', `A category with the code "${row.code}" exists already`, `工单类别代码“${row.code}”已存在`);
  ctx.logger.info({ actor: actor.userId, category: row.code }, 'category added');
  return created;
}

/** Changes a category's names or deadline policy; tickets already handed off keep their deadline. */
export async function updateCategory(ctx: TicketContext, actor: TicketActor, code: string, input: z.input<typeof categoryPatchSchema>) {
  mustBeAdmin(actor);
  const patch = parseInput(categoryPatchSchema, input);
  const [updated] = await ctx.db.update(categories).set({ ...patch, updatedAt: ctx.clock.now() }).where(eq(categories.code, code)).returning();
  if (!updated) throw notFound('category', code);
  ctx.logger.info({ actor: actor.userId, category: code, patch }, 'category updated');
  return updated;
}
