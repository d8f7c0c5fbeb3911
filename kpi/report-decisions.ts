import { and, asc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';
import { users } from '../platform/directory.sql.ts';
import { HotlineError } from '../platform/errors.ts';
import { errors } from '../platform/http/errors.ts';
import { calendarDate } from '../platform/http/schemas.ts';
import { multilineText } from '../platform/text.ts';
import type { Actor } from '../platform/user-roles.ts';
import { decisionStates, reportDecisionChanges, reportDecisions, type DecisionState } from './decisions.sql.ts';
import { weeklyReports } from './kpi.sql.ts';

export const recordDecisionSchema = z.strictObject({ text: multilineText(1000), ownerUserId: z.uuid(), dueDate: calendarDate });
export const setDecisionStateSchema = z.strictObject({ state: z.enum(decisionStates), note: multilineText(1000).optional() });

/** A decision as people read it: names beside the ids, times as instants. */
export interface DecisionView {
  id: number;
  reportId: number;
  /** The Monday (China date) of the report's week. */
  reportWeekStart: string;
  text: string;
  ownerUserId: string;
  ownerName: string;
  dueDate: string;
  state: DecisionState;
  stateNote: string | null;
  recordedBy: string;
  recordedByName: string;
  recordedAt: string;
  stateChangedBy: string | null;
  stateChangedByName: string | null;
  stateChangedAt: string | null;
}

const owner = alias(users, 'owner');
const recorder = alias(users, 'recorder');
const changer = alias(users, 'changer');

function selectDecisions(db: Db) {
  return db
    .select({
      id: reportDecisions.id,
      reportId: reportDecisions.reportId,
      reportWeekStart: weeklyReports.weekStart,
      text: reportDecisions.text,
      ownerUserId: reportDecisions.ownerUserId,
      ownerName: owner.displayName,
      dueDate: reportDecisions.dueDate,
      state: reportDecisions.state,
      stateNote: reportDecisions.stateNote,
      recordedBy: reportDecisions.recordedBy,
      recordedByName: recorder.displayName,
      recordedAt: reportDecisions.recordedAt,
      stateChangedBy: reportDecisions.stateChangedBy,
      stateChangedByName: changer.displayName,
      stateChangedAt: reportDecisions.stateChangedAt,
    })
    .from(reportDecisions)
    .innerJoin(weeklyReports, eq(weeklyReports.id, reportDecisions.reportId))
    .leftJoin(owner, eq(owner.id, reportDecisions.ownerUserId))
    .leftJoin(recorder, eq(recorder.id, reportDecisions.recordedBy))
    .leftJoin(changer, eq(changer.id, reportDecisions.stateChangedBy))
    .$dynamic();
}

type Row = Awaited<ReturnType<ReturnType<typeof selectDecisions>['execute']>>[number];
const view = (r: Row): DecisionView => ({
  ...r,
  ownerName: r.ownerName ?? '',
  recordedByName: r.recordedByName ?? '',
  recordedAt: r.recordedAt.toISOString(),
  stateChangedAt: r.stateChangedAt?.toISOString() ?? null,
});

async function reportOfCourt(db: Db, courtId: string, reportId: number) {
  const [report] = await db.select({ id: weeklyReports.id, weekStart: weeklyReports.weekStart, generatedAt: weeklyReports.generatedAt }).from(weeklyReports).where(and(eq(weeklyReports.id, reportId), eq(weeklyReports.courtId, courtId)));
  if (!report) throw errors.notFound('weekly report');
  return report;
}

/** The decisions recorded against one report of the actor's court, in the order they were recorded. */
export async function decisionsOf(db: Db, actor: Actor, reportId: number): Promise<DecisionView[]> {
  await reportOfCourt(db, actor.courtId, reportId);
  const rows = await selectDecisions(db).where(and(eq(reportDecisions.courtId, actor.courtId), eq(reportDecisions.reportId, reportId))).orderBy(asc(reportDecisions.id));
  return rows.map(view);
}

/** Records a meeting's decision against a report; the owner must be an active person of the court. */
export async function recordDecision(db: Db, actor: Actor, reportId: number, input: z.output<typeof recordDecisionSchema>, now: Date): Promise<DecisionView> {
  await reportOfCourt(db, actor.courtId, reportId);
  const [ownerRow] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, input.ownerUserId), eq(users.courtId, actor.courtId), eq(users.active, true)));
  if (!ownerRow) throw new HotlineError('owner_unknown', 400, 'The owner must be an active user of this court', '负责人须为本院在用的人员');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reportDecisions)
      .values({ courtId: actor.courtId, reportId, text: input.text, ownerUserId: input.ownerUserId, dueDate: input.dueDate, recordedBy: actor.userId, recordedAt: now })
      .returning();
    await tx.insert(reportDecisionChanges).values({
      courtId: actor.courtId,
      decisionId: row!.id,
      action: 'record',
      actorId: actor.userId,
      at: now,
      after: { text: row!.text, ownerUserId: row!.ownerUserId, dueDate: row!.dueDate, state: row!.state },
    });
    return row!.id;
  });
  return (await selectDecisions(db).where(eq(reportDecisions.id, id)).then((r) => r.map(view)))[0]!;
}

/** Marks a decision done, dropped or open again, with an optional note; the change is kept. */
export async function setDecisionState(db: Db, actor: Actor, decisionId: number, input: z.output<typeof setDecisionStateSchema>, now: Date): Promise<DecisionView> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(reportDecisions).where(and(eq(reportDecisions.id, decisionId), eq(reportDecisions.courtId, actor.courtId))).for('update');
    if (!row) throw errors.notFound('decision');
    if (row.state === input.state && (input.note ?? null) === row.stateNote) {
      throw new HotlineError('decision_unchanged', 409, `The decision is already ${input.state}`, '该决定已是此状态');
    }
    await tx.update(reportDecisions).set({ state: input.state, stateNote: input.note ?? null, stateChangedBy: actor.userId, stateChangedAt: now }).where(eq(reportDecisions.id, decisionId));
    await tx.insert(reportDecisionChanges).values({
      courtId: actor.courtId,
      decisionId,
      action: 'set_state',
      actorId: actor.userId,
      at: now,
      before: { state: row.state, note: row.stateNote },
      after: { state: input.state, note: input.note ?? null },
    });
  });
  return (await selectDecisions(db).where(eq(reportDecisions.id, decisionId)).then((r) => r.map(view)))[0]!;
}

/**
 * What a new report carries from the reviews before it: every decision of an earlier week's report that is
 * still open, and those closed (done or dropped) since the last earlier report was issued — all of them when
 * there is none — each with its state at the moment the new report is issued.
 */
export async function carriedDecisions(db: Db, courtId: string, weekStart: string): Promise<DecisionView[]> {
  const [previous] = await db
    .select({ generatedAt: weeklyReports.generatedAt })
    .from(weeklyReports)
    .where(and(eq(weeklyReports.courtId, courtId), lt(weeklyReports.weekStart, weekStart)))
    .orderBy(sql`${weeklyReports.weekStart} desc, ${weeklyReports.id} desc`)
    .limit(1);
  const closedSince = previous ? and(inArray(reportDecisions.state, ['done', 'dropped']), gt(reportDecisions.stateChangedAt, previous.generatedAt)) : inArray(reportDecisions.state, ['done', 'dropped']);
  const rows = await selectDecisions(db)
    .where(and(eq(reportDecisions.courtId, courtId), lt(weeklyReports.weekStart, weekStart), or(eq(reportDecisions.state, 'open'), closedSince)))
    .orderBy(asc(reportDecisions.dueDate), asc(reportDecisions.id))
    .limit(500);
  return rows.map(view);
}
