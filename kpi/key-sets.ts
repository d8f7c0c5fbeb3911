/**
 * Which dimensions a rollup row is grouped by, as a bitmask (`key_set`). The bits follow SQL's
 * `grouping(operator_id, department_id, judge_id, category)` (first argument = highest bit), so a row built
 * by GROUPING SETS has `key_set = 15 - grouping(...)`.
 */
export const keyDimensions = ['operator', 'department', 'judge', 'category'] as const;
export type KeyDimension = (typeof keyDimensions)[number];

export const keyColumns: Record<KeyDimension, string> = { operator: 'operator_id', department: 'department_id', judge: 'judge_id', category: 'category' };
export const keyBits: Record<KeyDimension, number> = { operator: 8, department: 4, judge: 2, category: 1 };

/** The hourly base: grouped by all four dimensions (built from the facts; every other set is built from it). */
export const fullKeySet = 15;

const bitCount = (n: number) => [8, 4, 2, 1].filter((b) => n & b).length;
const allSets = Array.from({ length: 16 }, (_, i) => i);

/** Hourly rows besides the base: the court total and each single dimension (hourly views by one key). */
export const hourlyDerivedKeySets = allSets.filter((s) => bitCount(s) <= 1);
/**
 * Daily rows: every set, so a view over whole days reads the days × keys it asks for, whatever it filters on (a
 * role's slice plus a `by`, e.g. an operator by category; a head's department by judge for one category). Sets of
 * three or four keys hold more rows than the rest together, but a view reads only its own set's (docs/kpi.md).
 */
export const dailyKeySets = allSets;

export function keySetOf(dims: Iterable<KeyDimension>): number {
  let set = 0;
  for (const d of dims) set |= keyBits[d];
  return set;
}

/** The dimensions of a key set, in column order. */
export function dimensionsOf(set: number): KeyDimension[] {
  return keyDimensions.filter((d) => set & keyBits[d]);
}

/** SQL `grouping sets (...)` for the given key sets over `court_id` and the time column. */
export function groupingSetsSql(sets: readonly number[], time: string): string {
  return `grouping sets (${sets.map((s) => `(${['court_id', time, ...dimensionsOf(s).map((d) => keyColumns[d])].join(', ')})`).join(', ')})`;
}

/** SQL for a GROUPING SETS row's key set. */
export const keySetSql = `(15 - grouping(operator_id, department_id, judge_id, category))`;
