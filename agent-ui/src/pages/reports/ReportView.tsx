import { Descriptions, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { percent } from '../../api/kpi.ts';
import { useCategories } from '../../api/useCategories.ts';
import type { WeeklyReport } from './report.ts';

const section = { className: 'report-section', style: { marginBottom: 20 } };

/** The report's figures as the meeting reads them: targets, other figures, busiest categories, overdue and unsatisfied work. */
export function ReportView({ report }: { report: WeeklyReport }) {
  const { t } = useTranslation();
  const { nameOf } = useCategories();
  const { body } = report;
  const k = body.figures.kpis;
  const s = body.figures.sums;
  const none = <Typography.Text type="secondary">{t('reports.nothing')}</Typography.Text>;
  return (
    <div data-testid="report-view">
      <div {...section}>
        <Typography.Title level={5}>{t('reports.targets')}</Typography.Title>
        <Table
          data-testid="report-targets"
          size="small"
          pagination={false}
          rowKey="figure"
          dataSource={body.againstTargets}
          columns={[
            { title: t('reports.figure'), dataIndex: 'figure', render: (f: string) => t(`reports.figures.${f}`) },
            { title: t('reports.thisWeek'), dataIndex: 'value', render: (v: number | null, r) => (r.figure === 'score' ? (v ?? '—') : percent(v)) },
            { title: t('reports.target'), dataIndex: 'target', render: (v: number, r) => (r.figure === 'score' ? v : percent(v)) },
            { title: t('reports.met'), dataIndex: 'met', render: (met: boolean | null) => (met === null ? t('reports.noData') : <Tag color={met ? 'green' : 'red'}>{met ? t('reports.yes') : t('reports.no')}</Tag>) },
          ]}
        />
      </div>
      <div {...section}>
        <Typography.Title level={5}>{t('reports.other')}</Typography.Title>
        <Descriptions size="small" bordered column={4}>
          <Descriptions.Item label={t('reports.labels.inbound')}>{percent(k.connectionRate.inbound)}</Descriptions.Item>
          <Descriptions.Item label={t('reports.labels.transfer')}>{percent(k.connectionRate.transfer)}</Descriptions.Item>
          <Descriptions.Item label={t('reports.labels.onTime')}>{percent(k.onTimeRate)}</Descriptions.Item>
          <Descriptions.Item label={t('reports.labels.satisfaction')}>{percent(k.satisfactionRate)}</Descriptions.Item>
          <Descriptions.Item label={t('reports.labels.offered')}>{s.offered}</Descriptions.Item>
          <Descriptions.Item label={t('reports.labels.answered')}>{s.answered}</Descriptions.Item>
          <Descriptions.Item label={t('reports.labels.due')}>{s.due}</Descriptions.Item>
          <Descriptions.Item label={t('reports.labels.completed')}>{s.completed}</Descriptions.Item>
        </Descriptions>
      </div>
      <div {...section}>
        <Typography.Title level={5}>{t('reports.topCategories')}</Typography.Title>
        {body.topCategories.length === 0
          ? none
          : body.topCategories.map((c) => (
              <Tag key={c.category ?? ''} style={{ marginBottom: 4 }}>
                {c.category ? nameOf(c.category) : '—'} · {c.tickets}
              </Tag>
            ))}
      </div>
      <div {...section}>
        <Typography.Title level={5}>{t('reports.overdue')}</Typography.Title>
        {body.overdueTickets.length === 0
          ? none
          : body.overdueTickets.map((o) => (
              <Tag key={o.ticketId} color="red" style={{ marginBottom: 4 }}>
                {o.number} · {t('reports.dueAt')} {dayjs(o.dueAt).format('MM-DD HH:mm')}
              </Tag>
            ))}
      </div>
      <div {...section}>
        <Typography.Title level={5}>{t('reports.unsatisfied')}</Typography.Title>
        {body.unsatisfiedCallers.length === 0
          ? none
          : body.unsatisfiedCallers.map((u) => (
              <Tag key={u.ticketId} color="orange" style={{ marginBottom: 4 }}>
                {u.number} · {u.callerNumber ?? t('reports.confidential')}
              </Tag>
            ))}
      </div>
    </div>
  );
}
