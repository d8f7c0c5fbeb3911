import { Alert, App, Button, Card, Space, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { kpiParams, type Dimension, type KpiTable, type Span } from '../../api/kpi.ts';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { BreakdownTable } from './BreakdownTable.tsx';
import { CheckAlert } from './CheckAlert.tsx';
import type { DrillTarget } from './drill-target.ts';
import { DrillDownDrawer } from './DrillDownDrawer.tsx';
import { daySpan, KpiFilters, maxHourlyDays, spanDays, type TrendGrain } from './KpiFilters.tsx';
import { QualityCard } from './QualityCard.tsx';
import { ScoreCards } from './ScoreCards.tsx';
import { TrendChart } from './TrendChart.tsx';
import { UnassignedAlert } from './UnassignedAlert.tsx';
import { useKeyNames } from './useKeyNames.ts';

type By = Exclude<Dimension, 'court'>;
const dimensions: By[] = ['operator', 'department', 'judge', 'category'];
const grains: TrendGrain[] = ['hour', 'day', 'week', 'month'];

/** The span in the address (?from=YYYY-MM-DD&to=YYYY-MM-DD, both days included), when it is a real one. */
function spanFromParams(params: URLSearchParams): Span | undefined {
  const [a, b] = [params.get('from') ?? '', params.get('to') ?? ''];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(a) || !/^\d{4}-\d{2}-\d{2}$/.test(b)) return undefined;
  const [from, to] = [dayjs(a), dayjs(b)];
  if (!from.isValid() || !to.isValid() || to.isBefore(from) || to.diff(from, 'day') >= 400) return undefined;
  return daySpan(from, to);
}

/**
 * Manager's KPI pages (docs/kpi.md): the two scored rates and the score for any period, their trend by day,
 * week or month, a table per operator, department, judge or category, every count opening the calls and
 * tickets behind it, and the table exported as CSV or Excel by the API.
 */
export default function KpiPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const nameOf = useKeyNames();
  const { role } = useProfile();
  // The period, grain and table are kept in the address, so a call's page and Back return to the same view.
  const [params, setParams] = useSearchParams();
  const [span, setSpan] = useState<Span>(() => spanFromParams(params) ?? daySpan(dayjs().startOf('month'), dayjs()));
  const [grain, setGrain] = useState<TrendGrain>(() => (grains.includes(params.get('grain') as TrendGrain) ? (params.get('grain') as TrendGrain) : spanDays(span) === 1 ? 'hour' : 'day'));
  const [by, setBy] = useState<By>(() => (dimensions.includes(params.get('by') as By) ? (params.get('by') as By) : 'operator'));
  // Written once the view is changed (the page opens at /kpi as linked; a change makes the address say what is shown).
  const opened = useRef(true);
  useEffect(() => {
    if (opened.current) return void (opened.current = false);
    setParams({ from: span.from.format('YYYY-MM-DD'), to: span.to.subtract(1, 'day').format('YYYY-MM-DD'), grain, by }, { replace: true });
  }, [span, grain, by]);
  const [trend, setTrend] = useState<KpiTable>();
  const [breakdown, setBreakdown] = useState<KpiTable>();
  const [loading, setLoading] = useState(true);
  const [drill, setDrill] = useState<DrillTarget>();

  // The trend's moment is the page's snapshot: the breakdown, every drill-down and the export are cut at it, so a
  // card, its drill-down and the file count the same calls (a call arriving meanwhile waits for the next load).
  useEffect(() => {
    let current = true;
    setLoading(true);
    setTrend(undefined);
    api.get<KpiTable>(`/api/kpi/figures?${kpiParams(span, { grain, by: 'court' })}`).then(
      (table) => current && setTrend(table),
      (err) => current && (void message.error(errorText(err)), setLoading(false)),
    );
    return () => void (current = false);
  }, [api, span, grain]);

  const asOf = trend?.asOf;
  useEffect(() => {
    if (!asOf) return;
    let current = true;
    setLoading(true);
    api.get<KpiTable>(`/api/kpi/figures?${kpiParams(span, { grain: 'total', by, asOf })}`).then(
      (table) => current && (setBreakdown(table), setLoading(false)),
      (err) => current && (void message.error(errorText(err)), setLoading(false)),
    );
    return () => void (current = false);
  }, [api, asOf, by]);

  // One day reads by the hour (a single bar says nothing); hours stop past a week.
  const chooseSpan = (next: Span) => {
    setSpan(next);
    if (spanDays(next) === 1) setGrain('hour');
    else if (grain === 'hour' && spanDays(next) > maxHourlyDays) setGrain('day');
  };

  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const exportUrl = (format: 'csv' | 'xlsx') => `/api/kpi/export?${kpiParams(span, { grain: 'total', by, format, asOf, lang })}`;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('kpi.title')}
        extra={trend && <Typography.Text type="secondary">{t('kpi.asOf', { time: dayjs(trend.asOf).format('YYYY-MM-DD HH:mm') })}</Typography.Text>}
      >
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <KpiFilters span={span} grain={grain} onSpan={chooseSpan} onGrain={setGrain} />
          <Typography.Text type="secondary">{t('kpi.clickHint')}</Typography.Text>
          <UnassignedAlert span={span} />
          <CheckAlert table={trend} />
          {trend && <ScoreCards figures={trend.total} closedNotYetDue={trend.closedNotYetDue} onDrill={setDrill} />}
          {trend && trend.total.sums.transfer_attempts === 0 && <Alert type="info" showIcon title={t('kpi.transferNote')} />}
        </Space>
      </Card>
      {/* QA figures are the reviewers' (heads and managers); an admin sees the rates only. */}
      {role === 'manager' && <QualityCard span={span} />}
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
      <DrillDownDrawer target={drill} span={span} asOf={asOf} onClose={() => setDrill(undefined)} />
    </Space>
  );
}
