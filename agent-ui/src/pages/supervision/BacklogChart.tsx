import ReactEChartsCore from 'echarts-for-react/lib/core';
import { useTranslation } from 'react-i18next';
import { echarts } from '../kpi/echarts.ts';
import { ageBuckets, type Board } from './board.ts';

const colours = { d0_1: '#91caff', d1_3: '#4096ff', d3_7: '#fa8c16', d7_plus: '#cf1322' };

/** Open work per department, stacked by days since it was handed off: where the backlog is, and how old. */
export function BacklogChart({ board }: { board: Board }) {
  const { t } = useTranslation();
  const departments = board.departments.map((d) => d.departmentName ?? t('supervision.unnamed'));
  const option = {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemWidth: 12, itemHeight: 8 },
    grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: departments, inverse: true },
    series: ageBuckets.map((bucket) => ({
      name: t(`supervision.age.${bucket}`),
      type: 'bar',
      stack: 'age',
      barMaxWidth: 18,
      itemStyle: { color: colours[bucket] },
      data: board.departments.map((d) => d.backlog[bucket]),
    })),
  };
  return (
    <div data-testid="supervision-backlog">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: Math.max(140, 60 + departments.length * 32) }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
