import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { rawFactsCtes } from './facts-sql.ts';
import { dailyKeySets, dimensionsOf, fullKeySet, hourlyDerivedKeySets, keyColumns, keyDimensions } from './key-sets.ts';
import { uuidLit } from './literals.ts';
import { measureNames } from './measures.ts';
import { rollupSelect } from './rollup.ts';

/** Rollup rows by `grain|key set|bucket|court|operator|department|judge|category` (ungrouped dimensions as `*`). */
export type RollupMap = Map<string, Record<string, number>>;

const chinaDay = (hour: unknown) => new Date(new Date(hour as string).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function keyOf(grain: 'hour' | 'day', keySet: number, bucket: string, row: Record<string, unknown>): string {
  const grouped = new Set(dimensionsOf(keySet));
  const dims = keyDimensions.map((d) => (grouped.has(d) ? String(row[keyColumns[d]] ?? '-') : '*'));
  return [grain, keySet, bucket, row.court_id ?? '-', ...dims].join('|');
}

function add(out: RollupMap, key: string, row: Record<string, unknown>): void {
  const sums = out.get(key) ?? Object.fromEntries(measureNames.map((n) => [n, 0]));
  for (const n of measureNames) sums[n]! += Number(row[n] ?? 0);
  out.set(key, sums);
}

/** Drops rows whose sums are all zero (a rebuilt hour may leave none where a recount has none). */
function nonZero(map: RollupMap): RollupMap {
  return new Map([...map].filter(([, sums]) => measureNames.some((n) => sums[n] !== 0)));
}

/**
 * A court's rollups recounted straight from the raw call and ticket records (no stored facts, no SQL
 * grouping sets): the per-hour cross product from the raw records, then every stored key set summed here.
 */
export async function recountRollups(db: Db, courtId: string): Promise<RollupMap> {
  const court = uuidLit(courtId);
  const { rows } = await db.execute<Record<string, unknown>>(
    sql.raw(`with ${rawFactsCtes(`e.court_id = ${court}`, `c.court_id = ${court}`)} ${rollupSelect('raw_calls', 'raw_tickets', 'true', 'true')}`),
  );
  const out: RollupMap = new Map();
  for (const row of rows) {
    const hour = new Date(row.hour as string).toISOString();
    for (const keySet of [fullKeySet, ...hourlyDerivedKeySets]) add(out, keyOf('hour', keySet, hour, row), row);
    for (const keySet of dailyKeySets) add(out, keyOf('day', keySet, chinaDay(row.hour), row), row);
  }
  return nonZero(out);
}

/** The stored hourly and daily rollups of a court, in the same shape. */
export async function storedRollups(db: Db, courtId: string): Promise<RollupMap> {
  const out: RollupMap = new Map();
  const hourly = await db.execute<Record<string, unknown>>(sql`select * from kpi.rollup_hourly where court_id = ${courtId}`);
  for (const row of hourly.rows) add(out, keyOf('hour', Number(row.key_set), new Date(row.hour as string).toISOString(), row), row);
  const daily = await db.execute<Record<string, unknown>>(sql`select *, day::text as day_text from kpi.rollup_daily where court_id = ${courtId}`);
  for (const row of daily.rows) add(out, keyOf('day', Number(row.key_set), String(row.day_text), row), row);
  return nonZero(out);
}

/** Only the hourly base rows (every dimension) of a rollup map. */
export function baseRows(map: RollupMap): RollupMap {
  return new Map([...map].filter(([key]) => key.startsWith(`hour|${fullKeySet}|`)));
}
