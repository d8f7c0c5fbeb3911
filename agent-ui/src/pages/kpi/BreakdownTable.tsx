import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { percent, target, type Dimension, type KpiRow, type Measure, type Rate } from '../../api/kpi.ts';
import { CountLink } from './CountLink.tsx';
import { completionMeasures, connectionMeasures, type DrillTarget } from './drill-target.ts';

type By = Exclude<Dimension, 'court'>;

const rateCell = (rate: Rate) => <span style={{ color: rate == null ? undefined : rate >= target ? '#389e0d' : '#cf1322' }}>{percent(rate)}</span>;

/** One row per operator, department, judge or category over the whole period; every count opens its records. */
export function BreakdownTable({ rows, by, nameOf, loading, onDrill }: { rows: KpiRow[]; by: By; nameOf: (by: Dimension, key: string | null) => string; loading: boolean; onDrill: (target: DrillTarget) => void }) {
  const { t } = useTranslation();
  // The drill-down route cannot ask for "none" (a null key), so the row of records without the dimension shows plain counts.
  const count = (measure: Measure, related: Measure[]) => (value: number, row: KpiRow) =>
    value && row.key !== null ? (
      <CountLink
        value={value}
        label={`${nameOf(by, row.key)} ${t(`kpi.${measureLabel[measure]}`)} ${value}`}
        onOpen={() => onDrill({ title: nameOf(by, row.key), measures: [measure, ...related.filter((m) => m !== measure)], grain: 'total', by, key: row.key })}
      />
    ) : (
      value
    );
  return (
    <Table<KpiRow>
      size="small"
      loading={loading}
      rowKey={(row) => row.key ?? 'none'}
      dataSource={rows}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      data-testid="kpi-breakdown"
      columns={[
        { title: t('kpi.name'), key: 'name', render: (_, row) => nameOf(by, row.key), sorter: (a, b) => nameOf(by, a.key).localeCompare(nameOf(by, b.key), 'zh-CN') },
        { title: t('kpi.offered'), dataIndex: ['sums', 'offered'], align: 'right', render: count('offered', connectionMeasures), sorter: (a, b) => a.sums.offered - b.sums.offered },
        { title: t('kpi.answered'), dataIndex: ['sums', 'answered'], align: 'right', render: count('answered', connectionMeasures) },
        { title: t('kpi.connectionRate'), key: 'connection', align: 'right', render: (_, row) => rateCell(row.kpis.connectionRate.combined), sorter: (a, b) => (a.kpis.connectionRate.combined ?? -1) - (b.kpis.connectionRate.combined ?? -1) },
        { title: t('kpi.due'), dataIndex: ['sums', 'due'], align: 'right', render: count('due', completionMeasures), sorter: (a, b) => a.sums.due - b.sums.due },
        { title: t('kpi.completed'), dataIndex: ['sums', 'completed'], align: 'right', render: count('completed', completionMeasures) },
        { title: t('kpi.overdue'), dataIndex: ['sums', 'overdue'], align: 'right', render: count('overdue', completionMeasures) },
        { title: t('kpi.completionRate'), key: 'completion', align: 'right', render: (_, row) => rateCell(row.kpis.completionRate), sorter: (a, b) => (a.kpis.completionRate ?? -1) - (b.kpis.completionRate ?? -1) },
        { title: t('kpi.onSpot'), dataIndex: ['sums', 'on_spot'], align: 'right', render: count('on_spot', ['on_spot']) },
        { title: t('kpi.satisfaction'), key: 'satisfaction', align: 'right', render: (_, row) => percent(row.kpis.satisfactionRate) },
      ]}
    />
  );
}

/** i18n key (under kpi.) of each measure the console shows. */
export const measureLabel: Partial<Record<Measure, string>> & Record<string, string> = {
  offered: 'offered', answered: 'answered', abandoned: 'abandoned', due: 'due', completed: 'completed', overdue: 'overdue', voided: 'voided', on_spot: 'onSpot',
  calls: 'calls', tickets: 'tickets', closed_not_yet_due: 'closedNotYetDueTab',
};
