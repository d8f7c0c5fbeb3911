import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureNames } from './measures.ts';
import { byBucketAndKey, dimensions, kpiSql, queryKpis, type Grain, type KpiRow } from './query.ts';
import { reconcile } from './sync.ts';
import { useKpiFixture, type KpiFixture } from './testing/fixtures.ts';
import { generateMonth } from './testing/traffic.ts';

const monthStart = Date.UTC(2026, 3, 30, 16); // 2026-05-01 China
const hour = 3_600_000;
let fx: KpiFixture;

beforeAll(async () => {
  fx = await useKpiFixture();
  await generateMonth({ db: fx.database.db, service: fx.service, setNow: fx.setNow, court: fx.court, monthStart, calls: 80, seed: 11 });
  await reconcile(fx.database.db, null);
}, 120_000);

describe('queryKpis reads the rows kpiSql selects', () => {
  // queryKpis takes each bucket as its seconds and names it in Node, and orders the rows by the seconds and the keys'
  // ranks; kpiSql writes the bucket with to_char. Same buckets, keys, sums and order (bucket text, then key, in code
  // point order: the database's collation may order keys otherwise), on every path.
  it('same buckets, keys, order and sums for every grain and dimension', async () => {
    const spans: [number, number, Grain][] = [
      [monthStart, monthStart + 31 * 24 * hour, 'hour'], // hourly rows at their own grain (31 days by hour)
      [monthStart - 5 * hour + 1234, monthStart + 9 * 24 * hour + 999, 'hour'], // loose edges from the facts
      [monthStart, monthStart + 31 * 24 * hour, 'day'],
      [monthStart + 2 * 24 * hour, monthStart + 20 * 24 * hour, 'week'],
      [monthStart - 24 * hour, monthStart + 32 * 24 * hour, 'month'],
      [monthStart, monthStart + 31 * 24 * hour, 'total'],
    ];
    let rows = 0;
    for (const by of dimensions) {
      for (const [from, to, grain] of spans) {
        const query = { filter: { courtId: fx.court.courtId }, from: new Date(from), to: new Date(to), grain, by, asOf: new Date(Date.UTC(2027, 0, 1)) };
        const { rows: expected } = await fx.database.db.execute<Record<string, string | number | null>>(sql.raw(kpiSql(query)!));
        const viaSql: KpiRow[] = expected.map((r) => ({
          bucket: r.bucket as string | null,
          key: r.key as string | null,
          sums: Object.fromEntries(measureNames.map((n) => [n, Number(r[n])])) as KpiRow['sums'],
        })).sort(byBucketAndKey);
        const got = await queryKpis(fx.database.db, query);
        expect(got, JSON.stringify({ by, grain })).toEqual(viaSql);
        rows += got.length;
        if (grain === 'hour') expect(got.every((r) => /^\d{4}-\d\d-\d\dT\d\d:00$/.test(r.bucket!)), 'hour buckets').toBe(true);
      }
    }
    expect(rows).toBeGreaterThan(500);
  });
});
