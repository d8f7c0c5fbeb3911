import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { courtCallSettings } from './settings.sql.ts';

export interface CallSettings {
  supervisionNotice: boolean;
  recordingNotice: boolean;
}

/** NOTIFY channel a change of any court's call settings is announced on (in the change's transaction). */
export const callSettingsChannel = 'telephony_call_settings';

const defaults: CallSettings = { supervisionNotice: false, recordingNotice: false };

/** A court's call settings; a court that never set them has both off. */
export async function readCallSettings(db: Db, courtId: string): Promise<CallSettings> {
  const [row] = await db.select({ supervisionNotice: courtCallSettings.supervisionNotice, recordingNotice: courtCallSettings.recordingNotice }).from(courtCallSettings).where(eq(courtCallSettings.courtId, courtId));
  return row ?? defaults;
}

/**
 * Sets some or all of the actor's court's call settings (the rest kept): only the columns that change are written,
 * so two managers changing different settings at once both keep their change.
 */
export async function writeCallSettings(db: Db, actor: Actor, change: Partial<CallSettings>): Promise<CallSettings> {
  const changed: Partial<CallSettings> = {};
  if (change.supervisionNotice !== undefined) changed.supervisionNotice = change.supervisionNotice;
  if (change.recordingNotice !== undefined) changed.recordingNotice = change.recordingNotice;
  const set = { ...changed, updatedBy: actor.userId, updatedAt: new Date() };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(courtCallSettings)
      .values({ courtId: actor.courtId, ...set })
      .onConflictDoUpdate({ target: courtCallSettings.courtId, set })
      .returning({ supervisionNotice: courtCallSettings.supervisionNotice, recordingNotice: courtCallSettings.recordingNotice });
    // Every controller's cache (settings-cache.ts) reloads on it, so the next call follows the change.
    await tx.execute(sql`select pg_notify(${callSettingsChannel}, ${actor.courtId})`);
    return row!;
  });
}
