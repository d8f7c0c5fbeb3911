import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { dailyKeySets, fullKeySet, hourlyDerivedKeySets, keySetOf, type KeyDimension } from './key-sets.ts';
import { codeLit, timeLit, uuidLit } from './literals.ts';
import { callMeasures, measureNames, ticketMeasures, type Sums } from './measures.ts';
import { settingsLateral } from './settings.ts';

export const grains = ['hour', 'day', 'week', 'month', 'total'] as const;
export type Grain = (typeof grains)[number];
export const dimensions = ['court', 'operator', 'department', 'judge', 'category'] as const;
export type Dimension = (typeof dimensions)[number];

/** Which rows a query may see: the court, and for judges, heads and operators their own slice. */
export interface KpiFilter {
  courtId: string;
  operatorId?: string | undefined;
  departmentId?: string | undefined;
  judgeId?: string | undefined;
  category?: string | undefined;
}

export interface KpiQuery {
  filter: KpiFilter;
  from: Date;
  to: Date;
  grain: Grain;
  by: Dimension;
  /** Figures as of this instant (default now): the span is cut there, so nothing not yet due is counted. */
  asOf?: Date;
}

export interface KpiRow {
  /** Start of the bucket in China time, `YYYY-MM-DDTHH:mm` (null for `total`). */
  bucket: string | null;
  /** The dimension's value (operator/judge/department id, category code; null = none, or the court). */
  key: string | null;
  sums: Sums;
}

const hourMs = 3600_000;
const dayMs = 24 * hourMs;
const chinaOffsetMs = 8 * hourMs; // Asia/Shanghai has had no daylight saving since 1991.

const ceilTo = (t: number, unit: number, offset = 0) => Math.ceil((t + offset) / unit) * unit - offset;
const floorTo = (t: number, unit: number, offset = 0) => Math.floor((t + offset) / unit) * unit - offset;

export function bucketExpr(grain: Grain, localTime: string): string {
  if (grain === 'total') return 'null::text';
  return `to_char(date_trunc('${grain}', ${localTime}), 'YYYY-MM-DD"T"HH24:MI')`;
}

/**
 * The bucket as queryKpis reads it: the seconds of its start's China wall-clock time (a number, named in Node by
 * bucketNamer). to_char on each of ~30,000 rows was ~10 ms of the database's time for 31 days by hour and operator.
 */
function bucketSecondsExpr(grain: Grain, localTime: string): string {
  if (grain === 'total') return 'null::int8';
  return `date_part('epoch', date_trunc('${grain}', ${localTime}))::int8`;
}

/** bucketExpr's text of a bucket given as bucketSecondsExpr's number, each name made once per answer (744 for 31 days by hour). */
function bucketNamer(): (seconds: number | null) => string | null {
  const names = new Map<number, string>();
  return (seconds) => {
    if (seconds === null) return null;
    let name = names.get(seconds);
    if (name === undefined) names.set(seconds, (name = new Date(seconds * 1000).toISOString().slice(0, 16)));
    return name;
  };
}

const dimensionColumn: Record<Dimension, { call: string; ticket: string; rollup: string }> = {
  court: { call: 'null::text', ticket: 'null::text', rollup: 'null::text' },
  operator: { call: 'f.operator_id::text', ticket: 'f.operator_id::text', rollup: 'r.operator_id::text' },
  department: { call: 'null::text', ticket: 'f.department_id::text', rollup: 'r.department_id::text' },
  judge: { call: 'null::text', ticket: 'f.judge_id::text', rollup: 'r.judge_id::text' },
  category: { call: 'f.category', ticket: 'f.category', rollup: 'r.category' },
};

/** WHERE conditions of a filter, for rollup rows (r), call facts and ticket facts (f). Calls carry no department or judge. */
export function filterConditions(filter: KpiFilter): { rollup: string[]; call: string[]; ticket: string[] } {
  const rollup = [`r.court_id = ${uuidLit(filter.courtId)}`];
  const call = [`f.court_id = ${uuidLit(filter.courtId)}`];
  const ticket = [`f.court_id = ${uuidLit(filter.courtId)}`];
  const both = (column: string, value: string, callHasIt: boolean) => {
    rollup.push(`r.${column} = ${value}`);
    ticket.push(`f.${column} = ${value}`);
    call.push(callHasIt ? `f.${column} = ${value}` : 'false');
  };
  if (filter.operatorId) both('operator_id', uuidLit(filter.operatorId), true);
  if (filter.departmentId) both('department_id', uuidLit(filter.departmentId), false);
  if (filter.judgeId) both('judge_id', uuidLit(filter.judgeId), false);
  if (filter.category) both('category', codeLit(filter.category), true);
  return { rollup, call, ticket };
}

// Summed as float8, not numeric (sum of bigint): several times faster, and exact for integers below 2^53.
const sumList = measureNames.map((n) => `sum(${n}::float8) as ${n}`).join(', ');

function factSums(source: 'call' | 'ticket'): string {
  const own = source === 'call' ? callMeasures : ticketMeasures;
  return measureNames.map((n) => `${own.find((m) => m.name === n)?.expr ?? '0'} as ${n}`).join(', ');
}

/** Splits [from, end) into whole China days, whole hours, and the loose edges left for the facts. */
export function splitSpan(from: number, end: number, useDays: boolean): { days?: [number, number]; hours: [number, number][]; edges: [number, number][] } {
  const hours: [number, number][] = [];
  const edges: [number, number][] = [];
  const byHour = (a: number, b: number) => {
    if (a >= b) return;
    const lo = ceilTo(a, hourMs);
    const hi = floorTo(b, hourMs);
    if (lo >= hi) return void edges.push([a, b]);
    if (a < lo) edges.push([a, lo]);
    hours.push([lo, hi]);
    if (hi < b) edges.push([hi, b]);
  };
  if (useDays) {
    const lo = ceilTo(from, dayMs, chinaOffsetMs);
    const hi = floorTo(end, dayMs, chinaOffsetMs);
    if (lo < hi) {
      byHour(from, lo);
      byHour(hi, end);
      return { days: [lo, hi], hours, edges };
    }
  }
  byHour(from, end);
  return { hours, edges };
}

/** The dimensions a query needs its rollup rows grouped by: those it filters on and the one it is by. */
export function keySetOfQuery(query: Pick<KpiQuery, 'filter' | 'by'>): number {
  const f = query.filter;
  const dims: KeyDimension[] = [];
  if (f.operatorId) dims.push('operator');
  if (f.departmentId) dims.push('department');
  if (f.judgeId) dims.push('judge');
  if (f.category) dims.push('category');
  if (query.by !== 'court') dims.push(query.by);
  return keySetOf(dims);
}

/**
 * Which rollup rows answer a query exactly, coarsest first: daily rows of its key set (whole China days,
 * any grain but hour, at most two dimensions), hourly rows of its key set (at most one dimension) or the
 * hourly base (all dimensions, filtered).
 */
export function rollupChoice(query: Pick<KpiQuery, 'filter' | 'by' | 'grain'>): { dailyKeySet: number | null; hourlyKeySet: number } {
  const keySet = keySetOfQuery(query);
  return {
    dailyKeySet: query.grain !== 'hour' && dailyKeySets.includes(keySet) ? keySet : null,
    hourlyKeySet: hourlyDerivedKeySets.includes(keySet) ? keySet : fullKeySet,
  };
}

/**
 * The SQL answering a query: daily rollups, hourly rollups and facts for the loose edges, added up.
 * `factsOnly` sums the facts over the whole span instead (no rollups): the tests' yardstick for the choice.
 */
export interface KpiSqlOptions {
  factsOnly?: boolean;
  /** The fact relations read (default the stored kpi.call_facts and kpi.ticket_facts), and a WITH list defining them. */
  callFacts?: string;
  ticketFacts?: string;
  with?: string;
}

export function kpiSql(query: KpiQuery, options: KpiSqlOptions = {}): string | null {
  const select = kpiSelect(query, options, bucketExpr);
  return select && `${select} order by bucket nulls first, key nulls first`;
}

/**
 * kpiSql without its ORDER BY (queryKpis orders the rows it parses: a sort here of ~30,000 wide rows spilled to disk),
 * its buckets written by `bucketOf` (text for kpiSql, seconds for queryKpis).
 */
function kpiSelect(query: KpiQuery, options: KpiSqlOptions, bucketOf: (grain: Grain, localTime: string) => string): string | null {
  const end = Math.min(query.to.getTime(), (query.asOf ?? new Date()).getTime());
  const from = query.from.getTime();
  if (from >= end) return null;
  const choice = rollupChoice(query);
  const span = options.factsOnly ? { hours: [], edges: [[from, end] as [number, number]] } : splitSpan(from, end, choice.dailyKeySet !== null);
  const where = filterConditions(query.filter);
  const dim = dimensionColumn[query.by];
  const parts: string[] = [];
  if (span.days) {
    parts.push(`select ${bucketOf(query.grain, 'r.day::timestamp')} as bucket, ${dim.rollup} as key, ${measureNames.join(', ')}
      from kpi.rollup_daily r where ${where.rollup.join(' and ')} and r.key_set = ${choice.dailyKeySet}
        and r.day >= (${timeLit(new Date(span.days[0]))} at time zone 'Asia/Shanghai')::date and r.day < (${timeLit(new Date(span.days[1]))} at time zone 'Asia/Shanghai')::date`);
  }
  for (const [a, b] of span.hours) {
    parts.push(`select ${bucketOf(query.grain, `(r.hour at time zone 'Asia/Shanghai')`)} as bucket, ${dim.rollup} as key, ${measureNames.join(', ')}
      from kpi.rollup_hourly r where ${where.rollup.join(' and ')} and r.key_set = ${choice.hourlyKeySet} and r.hour >= ${timeLit(new Date(a))} and r.hour < ${timeLit(new Date(b))}`);
  }
  for (const [a, b] of span.edges) {
    parts.push(`select ${bucketOf(query.grain, `(f.arrived_at at time zone 'Asia/Shanghai')`)} as bucket, ${dim.call} as key, ${factSums('call')}
      from ${options.callFacts ?? 'kpi.call_facts'} f ${settingsLateral('f.arrived_at')} where ${where.call.join(' and ')} and f.arrived_at >= ${timeLit(new Date(a))} and f.arrived_at < ${timeLit(new Date(b))}`);
    parts.push(`select ${bucketOf(query.grain, `(f.period_at at time zone 'Asia/Shanghai')`)} as bucket, ${dim.ticket} as key, ${factSums('ticket')}
      from ${options.ticketFacts ?? 'kpi.ticket_facts'} f ${settingsLateral('f.period_at')} where ${where.ticket.join(' and ')} and f.period_at >= ${timeLit(new Date(a))} and f.period_at < ${timeLit(new Date(b))}`);
  }
  const head = options.with ? `with ${options.with}\n` : '';
  // One rollup part at its own grain and key set (e.g. hourly by operator, by hour) has one row per bucket and
  // key already: adding it up again would only cost (a sort or hash of ~30,000 rows for 31 days by operator).
  const onePart = parts.length === 1 && span.edges.length === 0;
  const ownRows = onePart && (span.days ? query.grain === 'day' : query.grain === 'hour' && choice.hourlyKeySet === keySetOfQuery(query));
  if (ownRows) return `${head}select bucket, key, ${measureNames.join(', ')} from (${parts[0]}) x`;
  return `${head}select bucket, key, ${sumList} from (${parts.join('\nunion all\n')}) x group by bucket, key`;
}

/**
 * The rows of a KPI select as one JSON text (`[[bucket, key, sum…], …]`, unordered): a table by hour and
 * operator is ~30,000 rows of 28 fields, and receiving them as protocol rows cost several times the query.
 * The sums (float8 below 2^53, or the stored bigints) and the bucket's seconds are written as JSON numbers; the key as a JSON string; null as null.
 */
function asJsonSql(text: string, by: Dimension): string {
  // An id's text (a uuid) needs no escaping; to_json on each of 30,000 keys cost more than quoting them.
  const key = by === 'operator' || by === 'department' || by === 'judge' ? `'"' || key || '"'` : 'to_json(key)::text';
  const row = `'[' || concat_ws(',', coalesce(bucket::text, 'null'), coalesce(${key}, 'null'), ${measureNames.join(', ')}) || ']'`;
  return `select '[' || coalesce(string_agg(${row}, ','), '') || ']' as rows from (${text}) t`;
}

const nullsFirst = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
/** The order of kpiSql's rows: bucket, then key, nulls first (code point order, as kpi/recount-memo.ts adds rows up). */
export const byBucketAndKey = (a: Pick<KpiRow, 'bucket' | 'key'>, b: Pick<KpiRow, 'bucket' | 'key'>) => nullsFirst(a.bucket, b.bucket) || nullsFirst(a.key, b.key);

/**
 * The sums of a parsed row (`[bucket, key, sum…]`) as one object literal of fixed shape, compiled once from the
 * measure names (identifiers of kpi/measures.ts): filling an object key by key cost ~4 µs a row, 130 ms for 30,000.
 */
const sumsOfRow = new Function('r', `return { ${measureNames.map((n, i) => `${n}: r[${i + 2}]`).join(', ')} };`) as (row: unknown[]) => Sums;

/** Adds `from` into `into`, measure by measure, compiled likewise (a loop over the names cost ~50 ms for 30,000 rows). */
export const addSums = new Function('into', 'from', measureNames.map((n) => `into.${n} += from.${n};`).join(' ')) as (into: Sums, from: Sums) => void;

export async function queryKpis(db: Db, query: KpiQuery, options: KpiSqlOptions = {}): Promise<KpiRow[]> {
  const text = kpiSelect(query, options, bucketSecondsExpr);
  if (!text) return [];
  const { rows } = await db.execute<{ rows: string }>(sql.raw(asJsonSql(text, query.by)));
  const parsed = JSON.parse(rows[0]!.rows) as [number | null, string | null, ...number[]][];
  // Ordered as parsed: by the bucket's seconds (the order of its text: fixed width), then by the key's rank among
  // the few distinct keys (comparing 30,000 rows' key strings cost more than the rest of the sort).
  const keys = [...new Set(parsed.map((row) => row[1]))].sort(nullsFirst);
  const rank = new Map(keys.map((key, i) => [key, i]));
  parsed.sort((a, b) => (a[0] === b[0] ? rank.get(a[1])! - rank.get(b[1])! : a[0] === null ? -1 : b[0] === null ? 1 : a[0] - b[0]));
  const name = bucketNamer();
  return parsed.map((row): KpiRow => ({ bucket: name(row[0]), key: row[1], sums: sumsOfRow(row) }));
}
