import { Card, Col, Empty, Row, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';

interface Figures {
  at: string;
  waiting: number;
  operatorsReady: number;
  connectionRate: number | null;
  completionRate: number | null;
}

const target = 0.95;

/**
 * Manager's live wallboard, fed by the `wallboard.figures` and `presence.changed` events (docs/api.md).
 * The KPI pages (charts, drill-down, export) come with the KPI capability's routes.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const [figures, setFigures] = useState<Figures>();
  const [operators, setOperators] = useState<Record<string, { state: string; at?: string }>>({});
  useRealtimeEvents(['wallboard.figures'], (event) => setFigures(event.data as unknown as Figures));
  useRealtimeEvents(['presence.changed'], ({ data }) => {
    const id = data.operatorId as string | undefined;
    if (id) setOperators((all) => ({ ...all, [id]: { state: String(data.state), at: data.at as string | undefined } }));
  });

  const rate = (value: number | null | undefined, label: string) => (
    <Card size="small">
      <Statistic title={`${label} · ${t('dashboard.target')}`} value={value == null ? '—' : (value * 100).toFixed(1)} suffix={value == null ? undefined : '%'} valueStyle={{ color: value == null ? undefined : value >= target ? '#389e0d' : '#cf1322' }} />
    </Card>
  );

  return (
    <Card title={t('dashboard.title')} extra={figures && <Typography.Text type="secondary">{t('dashboard.updatedAt', { time: dayjs(figures.at).format('HH:mm:ss') })}</Typography.Text>}>
      {!figures && <Empty description={t('dashboard.noFigures')} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}><Card size="small"><Statistic title={t('dashboard.waiting')} value={figures?.waiting ?? '—'} /></Card></Col>
        <Col xs={12} lg={6}><Card size="small"><Statistic title={t('dashboard.operatorsReady')} value={figures?.operatorsReady ?? '—'} /></Card></Col>
        <Col xs={12} lg={6}>{rate(figures?.connectionRate, t('dashboard.connectionRate'))}</Col>
        <Col xs={12} lg={6}>{rate(figures?.completionRate, t('dashboard.completionRate'))}</Col>
      </Row>
      <Typography.Title level={5} style={{ marginTop: 24 }}>{t('dashboard.operators')}</Typography.Title>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={Object.entries(operators).map(([id, o]) => ({ id, ...o }))}
        columns={[
          { title: 'ID', dataIndex: 'id', render: (id: string) => id.slice(0, 8) },
          { title: t('desk.presence'), dataIndex: 'state', render: (state: string) => <Tag>{state}</Tag> },
          { title: '', dataIndex: 'at', render: (at?: string) => (at ? dayjs(at).format('HH:mm:ss') : '') },
        ]}
      />
    </Card>
  );
}
