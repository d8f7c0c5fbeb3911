import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { maskPhone } from '../../platform/masking.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { FormItem } from './quality.sql.ts';
import { weekSpan } from './week.ts';

export interface ReviewRow {
  id: string;
  callId: string;
  callArrivedAt: string;
  callerNumber: string | null;
  operator: { id: string; name: string };
  week: string;
  reasons: string[];
  status: string;
  reviewer: { id: string; name: string } | null;
  score: number | null;
  fatal: boolean | null;
  locked: boolean;
  appealReason: string | null;
  decision: string | null;
}

type Row = {
  id: string;
  call_id: string;
  call_arrived_at: Date | string;
  caller_number: string | null;
  operator_id: string;
  operator_name: string | null;
  week: string;
  reasons: string[];
  status: string;
  reviewer_id: string | null;
  reviewer_name: string | null;
  score: string | number | null;
  fatal: boolean | null;
  locked_at: Date | string | null;
  appeal_reason: string | null;
  decision: string | null;
};

const select = sql`select r.id::text, r.call_id::text, r.call_arrived_at, c.caller_number, r.operator_id::text, o.display_name as operator_name, r.week::text, r.reasons,
    r.status, r.reviewer_id::text, v.display_name as reviewer_name, r.score, r.fatal, r.locked_at, r.appeal_reason, r.decision
  from telephony.quality_reviews r
  left join telephony.calls c on c.id = r.call_id and c.arrived_at = r.call_arrived_at
  left join platform.users o on o.id = r.operator_id
  left join platform.users v on v.id = r.reviewer_id`;

const toView = (r: Row): ReviewRow => ({
  id: r.id,
  callId: r.call_id,
  callArrivedAt: new Date(r.call_arrived_at).toISOString(),
  callerNumber: maskPhone(r.caller_number),
  operator: { id: r.operator_id, name: r.operator_name ?? '' },
  week: r.week,
  reasons: r.reasons,
  status: r.status,
  reviewer: r.reviewer_id ? { id: r.reviewer_id, name: r.reviewer_name ?? '' } : null,
  score: r.score === null ? null : Number(r.score),
  fatal: r.fatal,
  locked: r.locked_at !== null,
  appealReason: r.appeal_reason,
  decision: r.decision,
});

/** The actor's court's reviews (an operator: their own), filtered, newest call first. */
export async function listReviews(db: Db, actor: Actor, f: { week?: string | undefined; status?: string | undefined; operatorId?: string | undefined }): Promise<ReviewRow[]> {
  const own = actor.role === 'operator' ? sql` and r.operator_id = ${actor.userId}` : sql``;
  const week = f.week ? sql` and r.week = ${f.week}` : sql``;
  const status = f.status ? sql` and r.status = ${f.status}` : sql``;
  const operator = f.operatorId ? sql` and r.operator_id = ${f.operatorId}` : sql``;
  const { rows } = await db.execute<Row>(sql`${select} where r.court_id = ${actor.courtId}${own}${week}${status}${operator} order by r.call_arrived_at desc limit 500`);
  return rows.map(toView);
}

export interface ReviewDetail extends ReviewRow {
  form: { id: string; name: string; version: number; items: FormItem[] } | null;
  points: Record<string, number> | null;
  fatalFailed: string[] | null;
  comment: string | null;
  decisionComment: string | null;
  recording: 'stored' | 'missing' | 'removed' | 'none';
  events: Array<{ seq: number; kind: string; actor: string; at: string; data: Record<string, unknown> }>;
}

export async function reviewDetail(db: Db, id: string): Promise<ReviewDetail> {
  const { rows } = await db.execute<Row & { form_id: string | null; form_name: string | null; form_version: number | null; items: FormItem[] | null; points: Record<string, number> | null; fatal_failed: string[] | null; comment: string | null; decision_comment: string | null; recording: string | null }>(
    sql`select q.*, f.name as form_name, f.version as form_version, f.items, rr.points, rr.fatal_failed, rr.comment, rr.decision_comment, rr.form_id::text,
        (select status::text from telephony.recordings where call_id = rr.call_id and kind = 'conversation') as recording
      from (${select} where r.id = ${id}) q
      join telephony.quality_reviews rr on rr.id = q.id::uuid
      left join telephony.quality_forms f on f.id = rr.form_id`,
  );
  const r = rows[0]!;
  const events = await db.execute<{ seq: string | number; kind: string; name: string | null; at: Date | string; data: Record<string, unknown> }>(
    sql`select e.seq, e.kind, u.display_name as name, e.at, e.data from telephony.quality_events e left join platform.users u on u.id = e.actor_id where e.review_id = ${id} order by e.seq`,
  );
  return {
    ...toView(r),
    form: r.form_id ? { id: r.form_id, name: r.form_name ?? '', version: r.form_version ?? 1, items: r.items ?? [] } : null,
    points: r.points,
    fatalFailed: r.fatal_failed,
    comment: r.comment,
    decisionComment: r.decision_comment,
    recording: (r.recording as ReviewDetail['recording'] | null) ?? 'none',
    events: events.rows.map((e) => ({ seq: Number(e.seq), kind: e.kind, actor: e.name ?? '', at: new Date(e.at).toISOString(), data: e.data })),
  };
}

export interface Figure {
  answered: number;
  reviewed: number;
  meanScore: number | null;
  fatalErrors: number;
  /** reviewed / answered, 0–1; null with no answered call. */
  coverage: number | null;
  appeals: number;
}

/**
 * QA figures for weeks [from, to] (Mondays): per operator and for the court's operator team. Reviewed: scored
 * reviews (scored, appealed, accepted, decided); answered: calls the operator answered in those weeks.
 */
export async function qualityFigures(db: Db, courtId: string, from: string, to: string): Promise<{ from: string; to: string; team: Figure; operators: Array<Figure & { operator: { id: string; name: string } }> }> {
  const start = weekSpan(from).start.toISOString();
  const end = weekSpan(to).end.toISOString();
  const { rows } = await db.execute<{ operator_id: string; name: string | null; answered: string | number; reviewed: string | number; score_sum: string | number | null; fatal: string | number; appeals: string | number }>(sql`
    with answered as (
      select answered_by as operator_id, count(*) as n from telephony.calls
      where court_id = ${courtId} and arrived_at >= ${start} and arrived_at < ${end} and answered_at is not null and answered_by is not null group by 1
    ), reviewed as (
      select operator_id, count(*) as n, sum(score) as score_sum, count(*) filter (where fatal) as fatal, count(*) filter (where appealed_at is not null) as appeals
      from telephony.quality_reviews where court_id = ${courtId} and week >= ${from} and week <= ${to} and status <> 'sampled' group by 1
    )
    select coalesce(a.operator_id, r.operator_id)::text as operator_id, u.display_name as name, coalesce(a.n, 0) as answered, coalesce(r.n, 0) as reviewed,
      r.score_sum, coalesce(r.fatal, 0) as fatal, coalesce(r.appeals, 0) as appeals
    from answered a full join reviewed r on r.operator_id = a.operator_id
    left join platform.users u on u.id = coalesce(a.operator_id, r.operator_id)
    order by u.display_name`);
  const figure = (answered: number, reviewed: number, scoreSum: number, fatal: number, appeals: number): Figure => ({
    answered,
    reviewed,
    meanScore: reviewed ? Math.round((scoreSum / reviewed) * 10) / 10 : null,
    fatalErrors: fatal,
    coverage: answered ? Math.round((reviewed / answered) * 10000) / 10000 : null,
    appeals,
  });
  const operators = rows.map((r) => ({ operator: { id: r.operator_id, name: r.name ?? '' }, ...figure(Number(r.answered), Number(r.reviewed), Number(r.score_sum ?? 0), Number(r.fatal), Number(r.appeals)) }));
  const sum = (k: 'answered' | 'reviewed' | 'fatalErrors' | 'appeals') => operators.reduce((s, o) => s + o[k], 0);
  const scoreSum = rows.reduce((s, r) => s + Number(r.score_sum ?? 0), 0);
  return { from, to, team: figure(sum('answered'), sum('reviewed'), scoreSum, sum('fatalErrors'), sum('appeals')), operators };
}
