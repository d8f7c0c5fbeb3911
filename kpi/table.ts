import type { Db } from '../platform/db/client.ts';
import { deriveKpis, type Kpis } from './kpis.ts';
import { measureNames, zeroSums, type Sums } from './measures.ts';
import { queryKpis, type KpiQuery } from './query.ts';

export interface KpiTableRow {
  bucket: string | null;
  key: string | null;
  sums: Sums;
  kpis: Kpis;
}

export interface KpiTable {
  from: string;
  to: string;
  asOf: string;
  grain: KpiQuery['grain'];
  by: KpiQuery['by'];
  rows: KpiTableRow[];
  total: { sums: Sums; kpis: Kpis };
}

/** A KPI table: the sums per bucket and key with every derived figure, and the total over all rows. */
export async function kpiTable(db: Db, query: KpiQuery): Promise<KpiTable> {
  const asOf = query.asOf ?? new Date();
  const rows = await queryKpis(db, { ...query, asOf });
  const total = zeroSums();
  for (const row of rows) for (const n of measureNames) total[n] += row.sums[n];
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    asOf: asOf.toISOString(),
    grain: query.grain,
    by: query.by,
    rows: rows.map((r) => ({ ...r, kpis: deriveKpis(r.sums) })),
    total: { sums: total, kpis: deriveKpis(total) },
  };
}
