import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';

/** Defaults: service level = answered within 20 s; no short abandons excluded (0 s). */
export const defaultSettings = { serviceLevelSeconds: 20, shortAbandonSeconds: 0 } as const;

export const settingsSchema = z.strictObject({
  serviceLevelSeconds: z.number().int().min(1).max(600),
  shortAbandonSeconds: z.number().int().min(0).max(60),
});
export type KpiSettings = z.infer<typeof settingsSchema>;

/**
 * The court's settings in force at a fact row's time, as a lateral SQL fragment giving `s.sl_ms` and
 * `s.short_ms` for the fact row `f` (the measures use them): the newest settings_changes row made at or before
 * `time` (a call's arrival). A change applies from the moment it is made: a period already published keeps the
 * settings it was published with, and no rebuild rewrites it.
 */
export const settingsLateral = (time: string) => `cross join lateral (
  select coalesce((select sc.service_level_seconds from kpi.settings_changes sc where sc.court_id = f.court_id and sc.changed_at <= ${time} order by sc.changed_at desc, sc.id desc limit 1), ${defaultSettings.serviceLevelSeconds}) * 1000 as sl_ms,
         coalesce((select sc.short_abandon_seconds from kpi.settings_changes sc where sc.court_id = f.court_id and sc.changed_at <= ${time} order by sc.changed_at desc, sc.id desc limit 1), ${defaultSettings.shortAbandonSeconds}) * 1000 as short_ms
) s`;

export async function currentSettings(db: Db, courtId: string): Promise<KpiSettings & { changedAt: string | null; changedBy: string | null }> {
  const { rows } = await db.execute<{ service_level_seconds: number; short_abandon_seconds: number; changed_at: Date; changed_by: string }>(
    sql`select service_level_seconds, short_abandon_seconds, changed_at, changed_by from kpi.settings_changes where court_id = ${courtId} order by id desc limit 1`,
  );
  const row = rows[0];
  if (!row) return { ...defaultSettings, changedAt: null, changedBy: null };
  return { serviceLevelSeconds: row.service_level_seconds, shortAbandonSeconds: row.short_abandon_seconds, changedAt: new Date(row.changed_at).toISOString(), changedBy: row.changed_by };
}

/** Appends a settings change (never edits one). The caller then rebuilds the court's rollups. */
export async function changeSettings(db: Db, courtId: string, actorId: string, input: KpiSettings, now: Date): Promise<void> {
  await db.execute(sql`insert into kpi.settings_changes (court_id, service_level_seconds, short_abandon_seconds, changed_by, changed_at)
    values (${courtId}, ${input.serviceLevelSeconds}, ${input.shortAbandonSeconds}, ${actorId}, ${now.toISOString()})`);
}
