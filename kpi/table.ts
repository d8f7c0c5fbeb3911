import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import type { SealSigner } from '../platform/seals/keys.ts';
import { deriveKpis, type Kpis } from './kpis.ts';
import { measureNames, zeroSums, type Sums } from './measures.ts';
import { closedNotYetDue } from './not-yet-due.ts';
import { addSums, queryKpis, type KpiQuery, type KpiRow } from './query.ts';
import { memoizedRecount, type MemoCounts } from './recount-memo.ts';
import { recountKpis } from './span-recount.ts';

export interface KpiTableRow {
  bucket: string | null;
  key: string | null;
  sums: Sums;
  kpis: Kpis;
}

/** One cell where the rollups and the recount from the raw rows differ. */
export interface KpiDifference {
  bucket: string | null;
  key: string | null;
  measure: string;
  rollup: number;
  recount: number;
}

/**
 * Every table is checked against a recount from the raw rows of its span: `agrees`, or `disagrees` — then the
 * rows and total shown are the recount's, `rollupTotal` is what the rollups said and `differences` the cells
 * (at most 50 listed, `differenceCount` all of them). A figure is never shown from a rollup that disagrees.
 */
export interface KpiCheck {
  status: 'agrees' | 'disagrees';
  differenceCount: number;
  differences: KpiDifference[];
  rollupTotal: Sums | null;
}

export interface KpiTable {
  from: string;
  to: string;
  asOf: string;
  grain: KpiQuery['grain'];
  by: KpiQuery['by'];
  rows: KpiTableRow[];
  total: { sums: Sums; kpis: Kpis };
  check: KpiCheck;
  /** Tickets completed in the span whose deadline is still ahead: in no completion rate until then (kpi/not-yet-due.ts); null for a span already over. */
  closedNotYetDue: number | null;
}

const cellKey = (r: Pick<KpiRow, 'bucket' | 'key'>) => `${r.bucket ?? ''}|${r.key ?? ''}`;

function totalOf(rows: KpiRow[]): Sums {
  const total = zeroSums();
  for (const row of rows) addSums(total, row.sums);
  return total;
}

/** The cells where two answers to one query differ (a cell missing on one side counts as zeros). */
export function differences(rollup: KpiRow[], recount: KpiRow[]): KpiDifference[] {
  const a = new Map(rollup.map((r) => [cellKey(r), r]));
  const b = new Map(recount.map((r) => [cellKey(r), r]));
  const out: KpiDifference[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    const cell = (x ?? y)!;
    for (const n of measureNames) {
      const [rv, cv] = [x?.sums[n] ?? 0, y?.sums[n] ?? 0];
      if (rv !== cv) out.push({ bucket: cell.bucket, key: cell.key, measure: n, rollup: rv, recount: cv });
    }
  }
  return out;
}

/**
 * The seal key that signs recounts of closed months (kpi/recount-memo.ts), so a long span's check recounts only
 * the months whose raw rows changed. Without it every check recounts its whole span.
 */
export interface RecountMemos {
  signer: SealSigner;
  log?: Logger;
  counts?: MemoCounts;
}

/** A KPI table: the sums per bucket and key with every derived figure, the total, and its check against the raw rows. */
export async function kpiTable(db: Db, query: KpiQuery, memos?: RecountMemos): Promise<KpiTable> {
  if (!memos) return checkedTable(db, query, recountKpis);
  return checkedTable(db, query, (d, q) => memoizedRecount(d, q, memos.signer, recountKpis, memos.log, memos.counts));
}

/** A table whose check was skipped: it claims nothing about the raw rows. */
export type UncheckedKpiTable = Omit<KpiTable, 'check'> & { check: Omit<KpiCheck, 'status'> & { status: 'unchecked' } };

/**
 * The table from the rollups alone, its check skipped: only for benchmarks that time the rollup path apart
 * from the check (bench/kpi-rollups.ts). Never served: routes and reports use kpiTable.
 */
export async function uncheckedTable(db: Db, query: KpiQuery): Promise<UncheckedKpiTable> {
  // The rollup query once, no recount and no comparison (running it twice and diffing was half the time measured).
  const table = await checkedTable(db, query, null);
  return { ...table, check: { ...table.check, status: 'unchecked' } };
}

async function checkedTable(db: Db, query: KpiQuery, recounter: ((db: Db, q: KpiQuery) => Promise<KpiRow[]>) | null): Promise<KpiTable> {
  const asOf = query.asOf ?? new Date();
  const at = { ...query, asOf };
  const [rollup, recount, notYetDue] = await Promise.all([queryKpis(db, at), recounter?.(db, at), closedNotYetDue(db, at)]);
  const diff = recount ? differences(rollup, recount) : [];
  const agrees = diff.length === 0;
  const rows = agrees || !recount ? rollup : recount.filter((r) => measureNames.some((n) => r.sums[n] !== 0));
  const total = totalOf(rows);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    asOf: asOf.toISOString(),
    grain: query.grain,
    by: query.by,
    rows: rows.map((r) => ({ bucket: r.bucket, key: r.key, sums: r.sums, kpis: deriveKpis(r.sums) })),
    total: { sums: total, kpis: deriveKpis(total) },
    check: { status: agrees ? 'agrees' : 'disagrees', differenceCount: diff.length, differences: diff.slice(0, 50), rollupTotal: agrees ? null : totalOf(rollup) },
    closedNotYetDue: notYetDue,
  };
}
