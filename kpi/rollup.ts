import { sql } from 'drizzle-orm';
import type { Tx } from '../tickets/audit.ts';
import { callMeasures, measureNames, ticketMeasures } from './measures.ts';
import { dailyKeySets, fullKeySet, groupingSetsSql, hourlyDerivedKeySets, keySetSql } from './key-sets.ts';
import { settingsLateral } from './settings.ts';

/** A court's hour (UTC instant of its start) whose rollup rows must be rebuilt from the facts. */
export interface DirtyHour {
  courtId: string | null;
  hour: string;
}

const cols = measureNames.join(', ');
const sums = (source: 'call' | 'ticket') => {
  const own = new Set<string>((source === 'call' ? callMeasures : ticketMeasures).map((m) => m.name));
  const all = [...callMeasures, ...ticketMeasures];
  return measureNames.map((n) => (own.has(n) ? `sum(${all.find((m) => m.name === n)!.expr}) as ${n}` : `0 as ${n}`)).join(', ');
};

/**
 * SQL selecting rollup rows (court, hour, operator, department, judge, category, measures…) from the given
 * call-fact and ticket-fact relations, for the rows chosen by `where` (on fact alias f, time column `t`).
 */
export function rollupSelect(callFacts: string, ticketFacts: string, callWhere: string, ticketWhere: string): string {
  return `
select f.court_id, date_trunc('hour', f.arrived_at) as hour, f.operator_id, null::uuid as department_id, null::uuid as judge_id, f.category, ${sums('call')}
from ${callFacts} f ${settingsLateral('f.arrived_at')} where ${callWhere}
group by 1, 2, 3, 4, 5, 6
union all
select f.court_id, date_trunc('hour', f.period_at) as hour, f.operator_id, f.department_id, f.judge_id, f.category, ${sums('ticket')}
from ${ticketFacts} f ${settingsLateral('f.period_at')} where ${ticketWhere}
group by 1, 2, 3, 4, 5, 6`;
}

const summed = measureNames.map((n) => `sum(${n})`).join(', ');
const keyCols = 'operator_id, department_id, judge_id, category';
const allHourlySets = `array[${[fullKeySet, ...hourlyDerivedKeySets].join(', ')}]::smallint[]`;

/**
 * Rebuilds the rollups of the given hours from the stored facts: the hourly base rows (every dimension), the
 * hourly rows by at most one dimension, then the daily rows (China days) of every set of at most two
 * dimensions, of the days those hours fall on. All derived rows are summed from the base rows.
 */
export async function refreshRollups(tx: Tx, dirty: DirtyHour[]): Promise<number> {
  if (dirty.length === 0) return 0;
  const unique = new Map(dirty.map((d) => [`${d.courtId}|${new Date(d.hour).toISOString()}`, { courtId: d.courtId, hour: new Date(d.hour).toISOString() }]));
  const pairs = JSON.stringify([...unique.values()].map((d) => [d.courtId, d.hour]));
  await tx.execute(sql`create temp table if not exists kpi_dirty (court_id uuid, hour timestamptz) on commit drop`);
  await tx.execute(sql`truncate kpi_dirty`);
  await tx.execute(sql`insert into kpi_dirty select (x->>0)::uuid, (x->>1)::timestamptz from json_array_elements(${pairs}::json) x`);
  await tx.execute(sql`analyze kpi_dirty`);
  await tx.execute(
    sql.raw(`delete from kpi.rollup_hourly r using kpi_dirty d where r.court_id is not distinct from d.court_id and r.key_set = any(${allHourlySets}) and r.hour = d.hour`),
  );
  const inDirty = (time: string) => `exists (select 1 from kpi_dirty d where d.court_id is not distinct from f.court_id and d.hour = date_trunc('hour', f.${time}))`;
  await tx.execute(
    sql.raw(`insert into kpi.rollup_hourly (court_id, hour, key_set, ${keyCols}, ${cols})
      select court_id, hour, ${fullKeySet}, ${keyCols}, ${summed} from (${rollupSelect('kpi.call_facts', 'kpi.ticket_facts', inDirty('arrived_at'), inDirty('period_at'))}) x
      group by court_id, hour, ${keyCols}`),
  );
  await tx.execute(
    sql.raw(`insert into kpi.rollup_hourly (court_id, hour, key_set, ${keyCols}, ${cols})
      select court_id, hour, ${keySetSql}, ${keyCols}, ${summed} from (
        select r.* from kpi.rollup_hourly r join kpi_dirty d on r.court_id is not distinct from d.court_id and r.hour = d.hour
        where r.key_set = ${fullKeySet}) b
      group by ${groupingSetsSql(hourlyDerivedKeySets, 'hour')}
      order by 3, 2`),
  );
  // Days (China time) of the dirty hours: rebuilt from the hourly base rows. Derived rows are written in key
  // set order so that a view reading one key set over many days reads few pages (measured in bench/).
  await tx.execute(sql`create temp table if not exists kpi_dirty_days (court_id uuid, day date) on commit drop`);
  await tx.execute(sql`truncate kpi_dirty_days`);
  await tx.execute(sql`insert into kpi_dirty_days select distinct court_id, (hour at time zone 'Asia/Shanghai')::date from kpi_dirty`);
  await tx.execute(sql`analyze kpi_dirty_days`);
  await tx.execute(
    sql.raw(`delete from kpi.rollup_daily r using kpi_dirty_days d where r.court_id is not distinct from d.court_id and r.key_set = any(array[${dailyKeySets.join(', ')}]::smallint[]) and r.day = d.day`),
  );
  await tx.execute(
    sql.raw(`insert into kpi.rollup_daily (court_id, day, key_set, ${keyCols}, ${cols})
      select court_id, day, ${keySetSql}, ${keyCols}, ${summed} from (
        select r.*, (r.hour at time zone 'Asia/Shanghai')::date as day
        from kpi.rollup_hourly r join kpi_dirty_days d on r.court_id is not distinct from d.court_id
          and r.hour >= (d.day::timestamp at time zone 'Asia/Shanghai') and r.hour < ((d.day + 1)::timestamp at time zone 'Asia/Shanghai')
        where r.key_set = ${fullKeySet}) b
      group by ${groupingSetsSql(dailyKeySets, 'day')}
      order by 3, 2`),
  );
  return unique.size;
}
