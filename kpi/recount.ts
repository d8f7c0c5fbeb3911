import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { rawFactsCtes } from './facts-sql.ts';
import { uuidLit } from './literals.ts';
import { measureNames } from './measures.ts';
import { rollupSelect } from './rollup.ts';

export interface RollupRow {
  key: string;
  sums: Record<string, number>;
}

const keyOf = (r: Record<string, unknown>) => [r.court_id, new Date(r.hour as string).toISOString(), r.operator_id, r.department_id, r.judge_id, r.category].map((v) => v ?? '-').join('|');

function collapse(rows: Record<string, unknown>[]): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const key = keyOf(row);
    const sums = out.get(key) ?? Object.fromEntries(measureNames.map((n) => [n, 0]));
    for (const n of measureNames) sums[n]! += Number(row[n] ?? 0);
    if (measureNames.some((n) => sums[n] !== 0)) out.set(key, sums);
  }
  return out;
}

/** A court's hourly rollup recounted straight from the raw call and ticket records (no stored facts). */
export async function recountHourly(db: Db, courtId: string): Promise<Map<string, Record<string, number>>> {
  const court = uuidLit(courtId);
  const { rows } = await db.execute<Record<string, unknown>>(
    sql.raw(`with ${rawFactsCtes(`e.court_id = ${court}`, `c.court_id = ${court}`)} ${rollupSelect('raw_calls', 'raw_tickets', 'true', 'true')}`),
  );
  return collapse(rows);
}

/** The stored hourly rollup of a court, in the same shape. */
export async function storedHourly(db: Db, courtId: string): Promise<Map<string, Record<string, number>>> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`select * from kpi.rollup_hourly where court_id = ${courtId}`);
  return collapse(rows);
}

/** The stored daily rollup against the hourly one, per China day (they must agree). */
export async function dailyMismatches(db: Db, courtId: string): Promise<number> {
  const { rows } = await db.execute<{ n: string }>(
    sql.raw(`select count(*) as n from (
      select (hour at time zone 'Asia/Shanghai')::date as day, ${measureNames.map((n) => `sum(${n}) as ${n}`).join(', ')} from kpi.rollup_hourly where court_id = ${uuidLit(courtId)} group by 1
      except select day, ${measureNames.join(', ')} from kpi.rollup_daily where court_id = ${uuidLit(courtId)}) x`),
  );
  return Number(rows[0]?.n ?? 0);
}
