import dayjs from 'dayjs';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { useTranslation } from 'react-i18next';
import { target, type KpiRow } from '../../api/kpi.ts';
import { completionMeasures, connectionMeasures, type DrillTarget } from './drill-target.ts';
import { echarts } from './echarts.ts';
import type { TrendGrain } from './KpiFilters.tsx';

const pct = (rate: number | null) => (rate == null ? null : Math.round(rate * 1000) / 10);

/**
 * The two scored rates per day, week or month against the 95% line, with the calls offered and tickets due
 * as bars (how much each rate rests on). A click on a point opens that bucket's records.
 */
export function TrendChart({ rows, grain, onDrill }: { rows: KpiRow[]; grain: TrendGrain; onDrill: (target: DrillTarget) => void }) {
  const { t } = useTranslation();
  const label = (bucket: string | null) => {
    const day = dayjs(bucket);
    return grain === 'month' ? day.format('YYYY-MM') : grain === 'week' ? `${day.format('MM-DD')}↗` : day.format('MM-DD');
  };
  const series = [
    { name: t('kpi.connectionRate'), type: 'line', yAxisIndex: 0, connectNulls: false, data: rows.map((r) => pct(r.kpis.connectionRate.combined)), markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#cf1322' }, label: { formatter: '95%' }, data: [{ yAxis: target * 100 }] } },
    { name: t('kpi.completionRate'), type: 'line', yAxisIndex: 0, connectNulls: false, data: rows.map((r) => pct(r.kpis.completionRate)) },
    { name: t('kpi.offered'), type: 'bar', yAxisIndex: 1, barMaxWidth: 18, itemStyle: { opacity: 0.35 }, data: rows.map((r) => r.sums.offered) },
    { name: t('kpi.due'), type: 'bar', yAxisIndex: 1, barMaxWidth: 18, itemStyle: { opacity: 0.35 }, data: rows.map((r) => r.sums.due) },
  ];
  const option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: rows.map((r) => label(r.bucket)) },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', minInterval: 1, splitLine: { show: false } },
    ],
    series,
  };
  const onClick = (params: { dataIndex: number; seriesIndex: number }) => {
    const row = rows[params.dataIndex];
    if (!row) return;
    const calls = params.seriesIndex === 0 || params.seriesIndex === 2;
    onDrill({ title: `${calls ? t('kpi.connectionRate') : t('kpi.completionRate')} · ${label(row.bucket)}`, measures: calls ? connectionMeasures : completionMeasures, grain, bucket: row.bucket });
  };
  return (
    <div data-testid="kpi-trend">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300 }} onEvents={{ click: onClick }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
