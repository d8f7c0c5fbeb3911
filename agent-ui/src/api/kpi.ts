/** Shapes and queries of the KPI routes (docs/kpi.md): figures, drill-downs and exports. */
import type { Dayjs } from 'dayjs';

export type Grain = 'hour' | 'day' | 'week' | 'month' | 'total';
export type Dimension = 'court' | 'operator' | 'department' | 'judge' | 'category';
export type Rate = number | null;

export interface Kpis {
  connectionRate: { inbound: Rate; transfer: Rate; combined: Rate; combinedRaw: Rate };
  completionRate: Rate;
  onTimeRate: Rate;
  score: Rate;
  serviceLevel: Rate;
  averageSpeedOfAnswerSeconds: Rate;
  abandonRate: Rate;
  abandonRateRaw: Rate;
  averageHandleTimeSeconds: Rate;
  registrationRate: Rate;
  callbackRate: Rate;
  satisfactionRate: Rate;
  answeredOnSpot: number;
  overdue: number;
  chases: number;
}

/** The measures the console drills into (kpi/measures.ts has them all). */
export type Measure =
  | 'calls' | 'offered' | 'answered' | 'abandoned' | 'transfer_attempts' | 'transfers_connected' | 'registered'
  | 'tickets' | 'on_spot' | 'due' | 'completed' | 'on_time' | 'voided' | 'overdue' | 'callback_due' | 'callback_done' | 'satisfied' | 'unsatisfied'
  /** Not a measure: the tickets behind a table's closedNotYetDue (drill-down only). */
  | 'closed_not_yet_due';
export type Sums = Record<Measure, number> & Record<string, number>;

export interface Figures {
  sums: Sums;
  kpis: Kpis;
}
export interface KpiRow extends Figures {
  bucket: string | null;
  key: string | null;
}
export interface KpiTable {
  from: string;
  to: string;
  asOf: string;
  grain: Grain;
  by: Dimension;
  rows: KpiRow[];
  total: Figures;
  /** The table checked against a recount from the raw rows; on a disagreement the figures shown are the recount's. */
  check: { status: 'agrees' | 'disagrees'; differenceCount: number; differences: { bucket: string | null; key: string | null; measure: string; rollup: number; recount: number }[]; rollupTotal: Sums | null };
  /** Tickets completed in the span whose deadline is still ahead: in no completion rate until it comes (null: the span is over). */
  closedNotYetDue: number | null;
}

/** The deployment's calls to numbers that map to no court (admins). */
export interface Unassigned {
  from: string;
  to: string;
  calls: number;
  offered: number;
  answered: number;
  abandoned: number;
  numbers: { dialled: string; calls: number; lastAt: string }[];
}

export interface DrillDown {
  kind: 'call' | 'ticket';
  measure: string;
  total: number;
  /** The moment the rows were cut at (the figures' asOf when given). */
  asOf: string;
  rows: { id: string; at: string; value: number }[];
}

/** The target of both scored KPIs (seed 004 annex 2). */
export const target = 0.95;

export interface Span {
  from: Dayjs;
  /** Exclusive end. */
  to: Dayjs;
}

export function kpiParams(span: Span, extra: Record<string, string | number | undefined | null> = {}): string {
  const params = new URLSearchParams({ from: span.from.format('YYYY-MM-DDTHH:mm:ssZ'), to: span.to.format('YYYY-MM-DDTHH:mm:ssZ') });
  for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== null) params.set(key, String(value));
  return params.toString();
}

export function percent(value: Rate | undefined): string {
  return value == null ? '—' : `${(value * 100).toFixed(1)}%`;
}
