import { createHash } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { qualityDraws, qualityReviews, qualitySettings } from './quality.sql.ts';
import { weekSpan } from './week.ts';

export const defaultSharePercent = 10;
export const sampleReasons = ['random', 'complaint', 'unsatisfied'] as const;
export type SampleReason = (typeof sampleReasons)[number];

export interface SampleSettings {
  sharePercent: number;
  seed: string;
  own: boolean;
}

/** A court's settings, or the defaults (10 %, the court's id as the seed). */
export async function readSampleSettings(db: Db, courtId: string): Promise<SampleSettings> {
  const [row] = await db.select().from(qualitySettings).where(eq(qualitySettings.courtId, courtId));
  return row ? { sharePercent: row.sharePercent, seed: row.seed, own: true } : { sharePercent: defaultSharePercent, seed: courtId, own: false };
}

export interface AnsweredCall {
  id: string;
  arrivedAt: Date;
  operatorId: string;
  complaint: boolean;
  unsatisfied: boolean;
}

/** The order a seed gives the calls: by SHA-256 of (seed, call id), the same for the same week and seed. */
const rank = (seed: string, callId: string) => createHash('sha256').update(`${seed}\0${callId}`).digest('hex');

/**
 * The sample of a week (pure): per operator, the first ⌈share × answered⌉ of their calls in the seed's order,
 * plus every complaint call and every call its caller rated unsatisfied.
 */
export function drawSample(answered: AnsweredCall[], sharePercent: number, seed: string): Array<AnsweredCall & { reasons: SampleReason[] }> {
  const byOperator = new Map<string, AnsweredCall[]>();
  for (const c of answered) byOperator.set(c.operatorId, [...(byOperator.get(c.operatorId) ?? []), c]);
  const random = new Set<string>();
  for (const own of byOperator.values()) {
    const take = Math.ceil((own.length * sharePercent) / 100);
    own.map((c) => ({ id: c.id, r: rank(seed, c.id) })).sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0)).slice(0, take).forEach((c) => random.add(c.id));
  }
  return answered
    .map((c) => ({ ...c, reasons: [...(random.has(c.id) ? ['random' as const] : []), ...(c.complaint ? ['complaint' as const] : []), ...(c.unsatisfied ? ['unsatisfied' as const] : [])] }))
    .filter((c) => c.reasons.length > 0);
}

/**
 * A court's answered calls of a week with what marks them: a complaint ticket (category complaint) linked to the
 * call, and an unsatisfied rating (the ticket's return visit, or the outbound satisfaction survey of the call).
 */
export async function answeredCalls(db: Db, courtId: string, week: string): Promise<AnsweredCall[]> {
  const { start, end } = weekSpan(week);
  const { rows } = await db.execute<{ id: string; arrived_at: string | Date; answered_by: string; complaint: boolean; unsatisfied: boolean }>(sql`
    select c.id::text, c.arrived_at, c.answered_by::text,
      exists (select 1 from tickets.ticket_calls tc join tickets.tickets t on t.id = tc.ticket_id where tc.call_id = c.id::text and t.category = 'complaint') as complaint,
      (exists (select 1 from tickets.ticket_calls tc join tickets.tickets t on t.id = tc.ticket_id where tc.call_id = c.id::text and t.satisfaction = 'unsatisfied')
        or exists (select 1 from telephony.outbound_requests o where o.call_id = c.id and o.satisfaction = 'unsatisfied')) as unsatisfied
    from telephony.calls c
    where c.court_id = ${courtId} and c.arrived_at >= ${start.toISOString()} and c.arrived_at < ${end.toISOString()}
      and c.answered_at is not null and c.answered_by is not null`);
  return rows.map((r) => ({ id: r.id, arrivedAt: new Date(r.arrived_at), operatorId: r.answered_by, complaint: r.complaint, unsatisfied: r.unsatisfied }));
}

export interface DrawResult {
  week: string;
  sharePercent: number;
  seed: string;
  added: number;
  total: number;
}

/**
 * Draws a court's week: the first draw of a week fixes its share and seed (quality_draws), so drawing it again
 * (the weekly job, a manager's button) draws the same calls and adds nothing already in; a complaint ticket filed
 * since is added. One review row per call (unique call id).
 */
export async function drawWeek(db: Db, courtId: string, week: string, by: string | null, now = new Date()): Promise<DrawResult> {
  const settings = await readSampleSettings(db, courtId);
  await db.insert(qualityDraws).values({ courtId, week, sharePercent: settings.sharePercent, seed: settings.seed, firstDrawnAt: now, firstDrawnBy: by }).onConflictDoNothing();
  const [draw] = await db.select().from(qualityDraws).where(and(eq(qualityDraws.courtId, courtId), eq(qualityDraws.week, week)));
  const sample = drawSample(await answeredCalls(db, courtId, week), draw!.sharePercent, draw!.seed);
  const added = sample.length
    ? await db
        .insert(qualityReviews)
        .values(sample.map((c) => ({ courtId, callId: c.id, callArrivedAt: c.arrivedAt, operatorId: c.operatorId, week, reasons: c.reasons })))
        .onConflictDoNothing()
        .returning({ id: qualityReviews.id })
    : [];
  const [total] = await db.select({ n: count() }).from(qualityReviews).where(and(eq(qualityReviews.courtId, courtId), eq(qualityReviews.week, week)));
  return { week, sharePercent: draw!.sharePercent, seed: draw!.seed, added: added.length, total: total!.n };
}

/** Every court that has operators' answered calls in the week: what the weekly job draws. */
export async function courtsToDraw(db: Db, week: string): Promise<string[]> {
  const { start, end } = weekSpan(week);
  const { rows } = await db.execute<{ court_id: string }>(
    sql`select distinct court_id::text from telephony.calls where court_id is not null and arrived_at >= ${start.toISOString()} and arrived_at < ${end.toISOString()} and answered_by is not null`,
  );
  return rows.map((r) => r.court_id);
}
