import type { Dimension, Grain, Measure } from '../../api/kpi.ts';

/** What a click on a figure asks to see: the records behind one or more measures of one table cell. */
export interface DrillTarget {
  title: string;
  measures: Measure[];
  grain?: Grain;
  bucket?: string | null;
  by?: Dimension;
  key?: string | null;
}

/** The measures behind each scored KPI: its denominator, numerator and what it loses. */
export const connectionMeasures: Measure[] = ['offered', 'answered', 'abandoned'];
export const completionMeasures: Measure[] = ['due', 'completed', 'overdue', 'voided'];
