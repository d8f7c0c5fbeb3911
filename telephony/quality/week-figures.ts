import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';

const chinaOffsetMs = 8 * 3_600_000;

export interface QualityFigure {
  answered: number;
  reviewed: number;
  meanScore: number | null;
  fatalErrors: number;
  /** reviewed / answered; null with no answered call. */
  coverage: number | null;
}
export type QualityWeek = QualityFigure & { operators: Array<QualityFigure & { name: string }> };

/**
 * The week's quality review, per operator and for the team, as docs/quality.md "Figures" defines them: answered calls
 * of the week, reviews of the week scored so far (their mean score and fatal errors), coverage = reviewed / answered.
 * What kpi's weekly report reads of telephony's calls and reviews.
 */
export async function qualityOfWeek(db: Db, courtId: string, from: Date, to: Date): Promise<QualityWeek> {
  const week = new Date(from.getTime() + chinaOffsetMs).toISOString().slice(0, 10);
  const { rows } = await db.execute<{ name: string | null; answered: string | number; reviewed: string | number; score_sum: string | number | null; fatal: string | number }>(sql`
    with answered as (
      select answered_by as operator_id, count(*) as n from telephony.calls
      where court_id = ${courtId} and arrived_at >= ${from.toISOString()} and arrived_at < ${to.toISOString()} and answered_at is not null and answered_by is not null group by 1
    ), reviewed as (
      select operator_id, count(*) as n, sum(score) as score_sum, count(*) filter (where fatal) as fatal
      from telephony.quality_reviews where court_id = ${courtId} and week = ${week} and status <> 'sampled' group by 1
    )
    select u.display_name as name, coalesce(a.n, 0) as answered, coalesce(r.n, 0) as reviewed, r.score_sum, coalesce(r.fatal, 0) as fatal
    from answered a full join reviewed r on r.operator_id = a.operator_id
    left join platform.users u on u.id = coalesce(a.operator_id, r.operator_id)
    order by u.display_name`);
  const figure = (answered: number, reviewed: number, scoreSum: number, fatalErrors: number): QualityFigure => ({
    answered,
    reviewed,
    meanScore: reviewed ? Math.round((scoreSum / reviewed) * 10) / 10 : null,
    fatalErrors,
    coverage: answered ? Math.round((reviewed / answered) * 10000) / 10000 : null,
  });
  const operators = rows.map((r) => ({ name: r.name ?? '', ...figure(Number(r.answered), Number(r.reviewed), Number(r.score_sum ?? 0), Number(r.fatal)) }));
  const sum = (pick: (r: (typeof rows)[number]) => string | number | null) => rows.reduce((s, r) => s + Number(pick(r) ?? 0), 0);
  return { ...figure(sum((r) => r.answered), sum((r) => r.reviewed), sum((r) => r.score_sum), sum((r) => r.fatal)), operators };
}
