import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { recordingRetention } from './retention.sql.ts';

/**
 * The bounds of a court's retention. At least 30 days: a complaint is answered within 3 days (seed 001 §3.8) and the
 * hotline's issues are reviewed every week (seed 002 §22), so a recording must outlive both with room for a return
 * visit and a chase. At most 10 years. The seeds set no period of their own.
 */
export const retentionBounds = { min: 30, max: 3650 } as const;
export const retentionDays = z
  .number()
  .int('whole days / 须为整数天')
  .min(retentionBounds.min, `at least ${retentionBounds.min} days / 至少 ${retentionBounds.min} 天`)
  .max(retentionBounds.max, `at most ${retentionBounds.max} days / 至多 ${retentionBounds.max} 天`);

export interface RetentionSetting {
  days: number;
  /** False: the court has not set it, the deployment's TELEPHONY_RECORDING_RETENTION_DAYS applies. */
  own: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export async function readRetention(db: Db, courtId: string, defaultDays: number): Promise<RetentionSetting> {
  const [row] = await db.select().from(recordingRetention).where(eq(recordingRetention.courtId, courtId));
  if (!row) return { days: defaultDays, own: false, updatedAt: null, updatedBy: null };
  return { days: row.days, own: true, updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
}

export async function writeRetention(db: Db, actor: Actor, days: number, now = new Date()): Promise<void> {
  const values = { days, updatedBy: actor.userId, updatedAt: now };
  await db.insert(recordingRetention).values({ courtId: actor.courtId, ...values }).onConflictDoUpdate({ target: recordingRetention.courtId, set: values });
}

/** A recording with a hold not yet lifted (SQL over the alias `r` of telephony.recordings). */
export const heldSql = sql`exists (select 1 from telephony.recording_holds h where h.call_id = r.call_id and h.kind = r.kind and h.lifted_at is null)`;

export interface RetentionEffect {
  /** Stored recordings of the court now. */
  stored: number;
  /** Of them, under a legal hold (never removed). */
  held: number;
  /** Removed at the next daily run with these days. */
  dueNow: number;
  /** When the oldest recording kept past that run expires (null: none kept that will expire). */
  oldestKeptExpiresAt: string | null;
}

/** What a retention of `days` does to a court's recordings at `now`: the page shows it before and after a change. */
export async function retentionEffect(db: Db, courtId: string, days: number, now: Date): Promise<RetentionEffect> {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const { rows } = await db.execute<{ stored: string; held: string; due: string; oldest: Date | string | null }>(sql`
    select count(*) as stored,
           count(*) filter (where ${heldSql}) as held,
           count(*) filter (where not ${heldSql} and r.call_arrived_at < ${cutoff}) as due,
           min(r.call_arrived_at) filter (where not ${heldSql} and r.call_arrived_at >= ${cutoff}) as oldest
    from telephony.recordings r where r.court_id = ${courtId} and r.status = 'stored'`);
  const row = rows[0]!;
  const oldest = row.oldest === null ? null : new Date(new Date(row.oldest).getTime() + days * 86_400_000).toISOString();
  return { stored: Number(row.stored), held: Number(row.held), dueNow: Number(row.due), oldestKeptExpiresAt: oldest };
}
