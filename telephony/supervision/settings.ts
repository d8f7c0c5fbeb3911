import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { courtCallSettings } from './settings.sql.ts';

export interface CallSettings {
  supervisionNotice: boolean;
  recordingNotice: boolean;
}

const defaults: CallSettings = { supervisionNotice: false, recordingNotice: false };

/** A court's call settings; a court that never set them has both off. */
export async function readCallSettings(db: Db, courtId: string): Promise<CallSettings> {
  const [row] = await db.select({ supervisionNotice: courtCallSettings.supervisionNotice, recordingNotice: courtCallSettings.recordingNotice }).from(courtCallSettings).where(eq(courtCallSettings.courtId, courtId));
  return row ?? defaults;
}

/** Sets some or all of the actor's court's call settings (the rest kept). */
export async function writeCallSettings(db: Db, actor: Actor, change: Partial<CallSettings>): Promise<CallSettings> {
  const next = { ...(await readCallSettings(db, actor.courtId)), ...change };
  const values = { ...next, updatedBy: actor.userId, updatedAt: new Date() };
  await db.insert(courtCallSettings).values({ courtId: actor.courtId, ...values }).onConflictDoUpdate({ target: courtCallSettings.courtId, set: values });
  return next;
}
