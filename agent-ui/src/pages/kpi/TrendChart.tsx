import dayjs from 'dayjs';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { useTranslation } from 'react-i18next';
import { target, type KpiRow, type Span } from '../../api/kpi.ts';
import { completionMeasures, connectionMeasures, type DrillTarget } from './drill-target.ts';
import { echarts } from './echarts.ts';
import type { TrendGrain } from './KpiFilters.tsx';

const pct = (rate: number | null) => (rate == null ? null : Math.round(rate * 1000) / 10);

/**
 * Every bucket of the span, in order, with the table's row where it has one: the API lists only buckets that
 * have records, but a trend needs the empty days too. Buckets are named as the API names them (China time,
 * weeks from Monday, months from the 1st).
 */
export function allBuckets(span: Span, grain: TrendGrain, rows: KpiRow[]): Array<{ bucket: string; row: KpiRow | undefined }> {
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  let start = span.from.startOf('day');
  if (grain === 'week') start = start.subtract((start.day() + 6) % 7, 'day');
  if (grain === 'month') start = start.startOf('month');
  const out: Array<{ bucket: string; row: KpiRow | undefined }> = [];
  for (let at = start; at.isBefore(span.to) && out.length < 500; at = at.add(1, grain)) {
    const bucket = at.format('YYYY-MM-DDTHH:mm');
    out.push({ bucket, row: byBucket.get(bucket) });
  }
  return out;
}

/**
 * The two scored rates per day, week or month against the 95% line, with the calls offered and tickets due
 * as bars (how much each rate rests on). A click on a point opens that bucket's records.
 */
export function TrendChart({ span, rows: tableRows, grain, onDrill }: { span: Span; rows: KpiRow[]; grain: TrendGrain; onDrill: (target: DrillTarget) => void }) {
  const { t } = useTranslation();
  const buckets = allBuckets(span, grain, tableRows);
  const label = (bucket: string) => {
    const day = dayjs(bucket);
    if (grain === 'hour') return day.format(span.to.diff(span.from, 'hour') > 24 ? 'MM-DD HH:00' : 'HH:00');
    return grain === 'month' ? day.format('YYYY-MM') : grain === 'week' ? t('kpi.weekOf', { date: day.format('MM-DD') }) : day.format('MM-DD');
  };
  const rows = buckets.map((b) => b.row);
  const series = [
    { name: t('kpi.connectionRate'), type: 'line', yAxisIndex: 0, connectNulls: true, data: rows.map((r) => (r ? pct(r.kpis.connectionRate.combined) : null)), markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#cf1322' }, label: { formatter: '95%' }, data: [{ yAxis: target * 100 }] } },
    { name: t('kpi.completionRate'), type: 'line', yAxisIndex: 0, connectNulls: true, data: rows.map((r) => (r ? pct(r.kpis.completionRate) : null)) },
    { name: t('kpi.offered'), type: 'bar', yAxisIndex: 1, barMaxWidth: 18, itemStyle: { opacity: 0.35 }, data: rows.map((r) => r?.sums.offered ?? 0) },
    { name: t('kpi.due'), type: 'bar', yAxisIndex: 1, barMaxWidth: 18, itemStyle: { opacity: 0.35 }, data: rows.map((r) => r?.sums.due ?? 0) },
  ];
  const option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: buckets.map((b) => label(b.bucket)) },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', minInterval: 1, splitLine: { show: false } },
    ],
    series,
  };
  const onClick = (params: { dataIndex: number; seriesIndex: number }) => {
    const bucket = buckets[params.dataIndex]?.bucket;
    if (!bucket) return;
    const calls = params.seriesIndex === 0 || params.seriesIndex === 2;
    onDrill({ title: `${calls ? t('kpi.connectionRate') : t('kpi.completionRate')} · ${label(bucket)}`, measures: calls ? connectionMeasures : completionMeasures, grain, bucket });
  };
  return (
    <div data-testid="kpi-trend">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300 }} onEvents={{ click: onClick }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
