import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { autoCallbackSettings } from './unowned.sql.ts';

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time of day HH:MM (00:00–23:59) / 须为 HH:MM 格式的时间');

/** A court's automatic callback setting as a manager or admin sets it (every field, checked together). */
export const autoCallbackSettingsBody = z
  .strictObject({
    enabled: z.boolean(),
    /** China time; the dialler also keeps to the court's business hours. */
    opens: hhmm,
    closes: hhmm,
    /** Attempts per caller per day. */
    attempts: z.number().int().min(1).max(5),
    /** Least minutes between two attempts for the same caller. */
    intervalMinutes: z.number().int().min(1).max(240),
    /** Most automatic callbacks the court makes in one day (0: none). */
    dailyCap: z.number().int().min(0).max(5000),
  })
  .refine((s) => s.opens < s.closes, { path: ['closes'], message: 'closes must be after opens / 结束时间须晚于开始时间' })
  .meta({ id: 'AutoCallbackSettings' });
export type AutoCallbackSettings = z.infer<typeof autoCallbackSettingsBody>;

/** Until a manager sets it: off, with sensible values to start from. */
export const defaultAutoCallback: AutoCallbackSettings = { enabled: false, opens: '09:00', closes: '17:30', attempts: 3, intervalMinutes: 10, dailyCap: 200 };

export async function readAutoCallback(db: Db, courtId: string): Promise<AutoCallbackSettings & { updatedAt: string | null }> {
  const [row] = await db.select().from(autoCallbackSettings).where(eq(autoCallbackSettings.courtId, courtId));
  if (!row) return { ...defaultAutoCallback, updatedAt: null };
  return { enabled: row.enabled, opens: row.opens, closes: row.closes, attempts: row.attempts, intervalMinutes: row.intervalMinutes, dailyCap: row.dailyCap, updatedAt: row.updatedAt.toISOString() };
}

/** Sets the actor's court's setting (the route is for managers and admins; the API audits it as an admin action). */
export async function writeAutoCallback(db: Db, actor: Actor, s: AutoCallbackSettings, now = new Date()) {
  const values = { ...s, updatedBy: actor.userId, updatedAt: now };
  await db.insert(autoCallbackSettings).values({ courtId: actor.courtId, ...values }).onConflictDoUpdate({ target: autoCallbackSettings.courtId, set: values });
  return readAutoCallback(db, actor.courtId);
}

/** Every court whose automatic callback is on (the dialler's loop). */
export async function enabledCourts(db: Db): Promise<Array<AutoCallbackSettings & { courtId: string }>> {
  const rows = await db.select().from(autoCallbackSettings).where(eq(autoCallbackSettings.enabled, true));
  return rows.map((r) => ({ courtId: r.courtId, enabled: r.enabled, opens: r.opens, closes: r.closes, attempts: r.attempts, intervalMinutes: r.intervalMinutes, dailyCap: r.dailyCap }));
}
