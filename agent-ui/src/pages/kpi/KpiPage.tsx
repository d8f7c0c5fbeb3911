import { Alert, App, Button, Card, Space, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { kpiParams, type Dimension, type KpiTable, type Span } from '../../api/kpi.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { BreakdownTable } from './BreakdownTable.tsx';
import { CheckAlert } from './CheckAlert.tsx';
import type { DrillTarget } from './drill-target.ts';
import { DrillDownDrawer } from './DrillDownDrawer.tsx';
import { daySpan, KpiFilters, type TrendGrain } from './KpiFilters.tsx';
import { ScoreCards } from './ScoreCards.tsx';
import { TrendChart } from './TrendChart.tsx';
import { UnassignedAlert } from './UnassignedAlert.tsx';
import { useKeyNames } from './useKeyNames.ts';

type By = Exclude<Dimension, 'court'>;
const dimensions: By[] = ['operator', 'department', 'judge', 'category'];

/**
 * Manager's KPI pages (docs/kpi.md): the two scored rates and the score for any period, their trend by day,
 * week or month, a table per operator, department, judge or category, every count opening the calls and
 * tickets behind it, and the table exported as CSV or Excel by the API.
 */
export default function KpiPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const nameOf = useKeyNames();
  const [span, setSpan] = useState<Span>(() => daySpan(dayjs().startOf('month'), dayjs()));
  const [grain, setGrain] = useState<TrendGrain>('day');
  const [by, setBy] = useState<By>('operator');
  const [trend, setTrend] = useState<KpiTable>();
  const [breakdown, setBreakdown] = useState<KpiTable>();
  const [loading, setLoading] = useState(true);
  const [drill, setDrill] = useState<DrillTarget>();

  useEffect(() => {
    let current = true;
    setLoading(true);
    Promise.all([api.get<KpiTable>(`/api/kpi/figures?${kpiParams(span, { grain, by: 'court' })}`), api.get<KpiTable>(`/api/kpi/figures?${kpiParams(span, { grain: 'total', by })}`)]).then(
      ([trendTable, byTable]) => {
        if (!current) return;
        setTrend(trendTable);
        setBreakdown(byTable);
        setLoading(false);
      },
      (err) => current && (void message.error(errorText(err)), setLoading(false)),
    );
    return () => void (current = false);
  }, [api, span, grain, by]);

  const exportUrl = (format: 'csv' | 'xlsx') => `/api/kpi/export?${kpiParams(span, { grain: 'total', by, format })}`;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('kpi.title')}
        extra={trend && <Typography.Text type="secondary">{t('kpi.asOf', { time: dayjs(trend.asOf).format('YYYY-MM-DD HH:mm') })}</Typography.Text>}
      >
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <KpiFilters span={span} grain={grain} onSpan={setSpan} onGrain={setGrain} />
          <Typography.Text type="secondary">{t('kpi.clickHint')}</Typography.Text>
          <UnassignedAlert span={span} />
          <CheckAlert table={trend} />
          {trend && <ScoreCards figures={trend.total} onDrill={setDrill} />}
          {trend && trend.total.sums.transfer_attempts === 0 && <Alert type="info" showIcon title={t('kpi.transferNote')} />}
        </Space>
      </Card>
      <Card size="small" title={t('kpi.trend')} loading={loading && !trend}>
        {trend && <TrendChart span={span} rows={trend.rows} grain={grain} onDrill={setDrill} />}
      </Card>
      <Card
        size="small"
        title={t('kpi.breakdown')}
        extra={
          <Space>
            <Button href={exportUrl('csv')} download data-testid="kpi-export-csv">{t('kpi.exportCsv')}</Button>
            <Button href={exportUrl('xlsx')} download data-testid="kpi-export-xlsx">{t('kpi.exportXlsx')}</Button>
          </Space>
        }
      >
        <CheckAlert table={breakdown} />
        <Tabs activeKey={by} onChange={(key) => setBy(key as By)} items={dimensions.map((d) => ({ key: d, label: t(`kpi.by.${d}`) }))} />
        <BreakdownTable rows={breakdown?.rows ?? []} by={by} nameOf={nameOf} loading={loading} onDrill={setDrill} />
      </Card>
      <DrillDownDrawer target={drill} span={span} onClose={() => setDrill(undefined)} />
    </Space>
  );
}
