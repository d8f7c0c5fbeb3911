import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { HotlineError } from '../../platform/errors.ts';
import { errors } from '../../platform/http/errors.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { qualityForms, type FormItem } from './quality.sql.ts';
import { checkItems } from './scoring.ts';

export interface FormView {
  id: string;
  familyId: string;
  version: number;
  name: string;
  items: FormItem[];
  createdAt: string;
  retiredAt: string | null;
}

const view = (f: typeof qualityForms.$inferSelect): FormView => ({
  id: f.id,
  familyId: f.familyId,
  version: f.version,
  name: f.name,
  items: f.items,
  createdAt: f.createdAt.toISOString(),
  retiredAt: f.retiredAt?.toISOString() ?? null,
});

/** A court's forms, every version, current ones first. */
export async function listForms(db: Db, courtId: string): Promise<FormView[]> {
  const rows = await db.select().from(qualityForms).where(eq(qualityForms.courtId, courtId)).orderBy(asc(qualityForms.retiredAt), asc(qualityForms.name), desc(qualityForms.version));
  return rows.map(view);
}

export async function formOfCourt(db: Pick<Db, 'select'>, courtId: string, id: string): Promise<typeof qualityForms.$inferSelect> {
  const [form] = await db.select().from(qualityForms).where(and(eq(qualityForms.id, id), eq(qualityForms.courtId, courtId)));
  if (!form) throw errors.notFound('form');
  return form;
}

export async function createForm(db: Db, actor: Actor, body: { name: string; items: FormItem[] }): Promise<FormView> {
  checkItems(body.items);
  const [row] = await db.insert(qualityForms).values({ courtId: actor.courtId, familyId: randomUUID(), version: 1, name: body.name, items: body.items, createdBy: actor.userId }).returning();
  return view(row!);
}

/**
 * A change to a form is a new version (reviews keep the version they were scored with): the current version of
 * its family is retired and the next one written, in one transaction. Only the current version can be changed.
 */
export async function newVersion(db: Db, actor: Actor, id: string, body: { name: string; items: FormItem[] }): Promise<FormView> {
  checkItems(body.items);
  return db.transaction(async (tx) => {
    const form = await formOfCourt(tx, actor.courtId, id);
    const retired = await tx.update(qualityForms).set({ retiredAt: new Date() }).where(and(eq(qualityForms.id, id), isNull(qualityForms.retiredAt))).returning({ id: qualityForms.id });
    if (retired.length === 0) throw new FormRetired();
    const [row] = await tx.insert(qualityForms).values({ courtId: actor.courtId, familyId: form.familyId, version: form.version + 1, name: body.name, items: body.items, createdBy: actor.userId }).returning();
    return view(row!);
  });
}

export async function retireForm(db: Db, actor: Actor, id: string): Promise<FormView> {
  await formOfCourt(db, actor.courtId, id);
  const [row] = await db.update(qualityForms).set({ retiredAt: new Date() }).where(and(eq(qualityForms.id, id), isNull(qualityForms.retiredAt))).returning();
  if (!row) throw new FormRetired();
  return view(row);
}

class FormRetired extends HotlineError {
  constructor() {
    super('form_retired', 409, 'This form version is retired: change its current version', '该评分表版本已停用，请修改其当前版本');
  }
}
