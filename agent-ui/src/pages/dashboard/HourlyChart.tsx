import ReactEChartsCore from 'echarts-for-react/lib/core';
import { useTranslation } from 'react-i18next';
import type { KpiRow } from '../../api/kpi.ts';
import { echarts } from '../kpi/echarts.ts';

export interface QueueBucket {
  bucket: string;
  waiting: number;
}

/**
 * Today by the hour, up to the current one: calls offered and answered as bars, the most callers waiting at once as
 * a line (its own axis). Hours without calls are drawn as zero, so the day reads left to right.
 */
export function HourlyChart({ day, rows, queue, big }: { day: string; rows: KpiRow[]; queue: QueueBucket[]; big: boolean }) {
  const { t } = useTranslation();
  const byHour = new Map(rows.map((r) => [r.bucket, r]));
  const waitingByHour = new Map(queue.map((q) => [q.bucket, q.waiting]));
  const lastHour = Math.max(new Date().getHours(), ...rows.map((r) => Number(r.bucket?.slice(11, 13) ?? 0)));
  const hours = Array.from({ length: lastHour + 1 }, (_, h) => `${day}T${String(h).padStart(2, '0')}:00`);
  const font = big ? 20 : 12;
  const option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { fontSize: font } },
    grid: { left: 48, right: 48, top: big ? 48 : 36, bottom: 28 },
    xAxis: { type: 'category', data: hours.map((h) => h.slice(11, 13)), axisLabel: { fontSize: font } },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: { fontSize: font } },
      { type: 'value', minInterval: 1, splitLine: { show: false }, axisLabel: { fontSize: font } },
    ],
    series: [
      { name: t('wallboard.offeredByHour'), type: 'bar', data: hours.map((h) => byHour.get(h)?.sums.offered ?? 0), itemStyle: { color: '#91caff' } },
      { name: t('wallboard.answeredByHour'), type: 'bar', data: hours.map((h) => byHour.get(h)?.sums.answered ?? 0), itemStyle: { color: '#389e0d' } },
      { name: t('wallboard.queuePeak'), type: 'line', yAxisIndex: 1, step: 'middle', data: hours.map((h) => waitingByHour.get(h) ?? 0), itemStyle: { color: '#cf1322' } },
    ],
  };
  return (
    <div data-testid="wallboard-hourly" data-hours={hours.length}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: big ? 360 : 240 }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
