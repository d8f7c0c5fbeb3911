import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Tx } from '../audit.ts';
import { smsSettingsChanges } from './sms.sql.ts';

export interface CourtSmsSettings {
  /** Text the caller at hand-off with the ticket number, the handler and the deadline (on unless turned off). */
  handoffNotice: boolean;
  changedAt: Date | null;
  changedBy: string | null;
}

export const defaultCourtSmsSettings = { handoffNotice: true } as const;

/** The court's SMS settings in force: the newest change, or the defaults. */
export async function courtSmsSettings(db: Db | Tx, courtId: string): Promise<CourtSmsSettings> {
  const [row] = await db.select().from(smsSettingsChanges).where(eq(smsSettingsChanges.courtId, courtId)).orderBy(desc(smsSettingsChanges.id)).limit(1);
  if (!row) return { ...defaultCourtSmsSettings, changedAt: null, changedBy: null };
  return { handoffNotice: row.handoffNotice, changedAt: row.changedAt, changedBy: row.changedBy };
}

/** Appends a change (never edits one): who changed what, and when, stays. */
export async function changeCourtSmsSettings(db: Db, courtId: string, actorId: string, input: { handoffNotice: boolean }, now: Date): Promise<CourtSmsSettings> {
  await db.insert(smsSettingsChanges).values({ courtId, handoffNotice: input.handoffNotice, changedBy: actorId, changedAt: now });
  return courtSmsSettings(db, courtId);
}
