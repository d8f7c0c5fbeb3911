import { DatePicker, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Span } from '../../api/kpi.ts';

export type TrendGrain = 'hour' | 'day' | 'week' | 'month';

/** Hourly trends for spans up to a week (a bar an hour; the API allows 31 days, a chart would not read). */
export const maxHourlyDays = 7;
export const spanDays = (span: Span) => Math.round(span.to.diff(span.from, 'hour') / 24);

/** A span of whole days: [first day 00:00, the day after the last 00:00). */
export const daySpan = (first: Dayjs, last: Dayjs): Span => ({ from: first.startOf('day'), to: last.startOf('day').add(1, 'day') });

const maxDays = 400;

/** The period (any whole days, with the usual presets) and the trend's grain. */
export function KpiFilters({ span, grain, onSpan, onGrain }: { span: Span; grain: TrendGrain; onSpan: (span: Span) => void; onGrain: (grain: TrendGrain) => void }) {
  const { t } = useTranslation();
  // Controlled so that choosing a preset (or a whole range) closes the calendar at once.
  const [open, setOpen] = useState(false);
  const today = dayjs();
  const monday = today.subtract((today.day() + 6) % 7, 'day');
  const presets: Array<{ label: string; value: [Dayjs, Dayjs] }> = [
    { label: t('kpi.presets.today'), value: [today, today] },
    { label: t('kpi.presets.yesterday'), value: [today.subtract(1, 'day'), today.subtract(1, 'day')] },
    { label: t('kpi.presets.thisWeek'), value: [monday, today] },
    { label: t('kpi.presets.lastWeek'), value: [monday.subtract(7, 'day'), monday.subtract(1, 'day')] },
    { label: t('kpi.presets.thisMonth'), value: [today.startOf('month'), today] },
    { label: t('kpi.presets.lastMonth'), value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')] },
    { label: t('kpi.presets.last30'), value: [today.subtract(29, 'day'), today] },
    { label: t('kpi.presets.thisYear'), value: [today.startOf('year'), today] },
  ];
  return (
    <Space wrap size="middle">
      <Space>
        <Typography.Text>{t('kpi.range')}</Typography.Text>
        <DatePicker.RangePicker
          aria-label={t('kpi.range')}
          data-testid="kpi-range"
          allowClear={false}
          value={[span.from, span.to.subtract(1, 'day')]}
          presets={presets}
          disabledDate={(day, info) => (info.from ? Math.abs(day.diff(info.from, 'day')) >= maxDays : false)}
          open={open}
          onOpenChange={setOpen}
          onChange={(range) => {
            if (range?.[0] && range[1]) onSpan(daySpan(range[0], range[1]));
            setOpen(false);
          }}
        />
      </Space>
      <Space>
        <Typography.Text>{t('kpi.grain')}</Typography.Text>
        <Segmented<TrendGrain>
          value={grain}
          onChange={onGrain}
          options={(['hour', 'day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`kpi.grains.${g}`), disabled: g === 'hour' && spanDays(span) > maxHourlyDays }))}
        />
      </Space>
    </Space>
  );
}
