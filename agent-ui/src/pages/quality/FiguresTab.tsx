import { Alert, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { Figure, Figures } from './types.ts';
import { recentWeeks } from './weeks.ts';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** QA figures per operator and for the team over a range of weeks (GET /api/telephony/quality/figures). */
export function FiguresTab() {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const weeks = recentWeeks(12);
  const [from, setFrom] = useState(weeks[4]!);
  const [to, setTo] = useState(weeks[0]!);
  const [data, setData] = useState<Figures>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setError(undefined);
    api.get<Figures>(`/api/telephony/quality/figures?from=${from}&to=${to}`).then(setData, (err) => setError(errorText(err)));
  }, [api, from, to]);
  const rows = data ? [...data.operators.map((o) => ({ key: o.operator.id, name: o.operator.name, ...o })), { key: 'team', name: t('quality.figures.team'), ...data.team }] : [];
  const options = weeks.map((w) => ({ value: w, label: w }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text>{t('quality.figures.from')}</Typography.Text>
        <Select aria-label={t('quality.figures.from')} style={{ width: 140 }} value={from} onChange={setFrom} options={options} />
        <Typography.Text>{t('quality.figures.to')}</Typography.Text>
        <Select aria-label={t('quality.figures.to')} style={{ width: 140 }} value={to} onChange={setTo} options={options} />
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Figure & { key: string; name: string }>
        data-testid="quality-figures"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('quality.operator'), dataIndex: 'name', render: (name: string, r) => (r.key === 'team' ? <strong>{name}</strong> : name) },
          { title: t('quality.figures.answered'), dataIndex: 'answered' },
          { title: t('quality.figures.reviewed'), dataIndex: 'reviewed' },
          { title: t('quality.figures.coverage'), dataIndex: 'coverage', render: pct },
          { title: t('quality.figures.mean'), dataIndex: 'meanScore', render: (v: number | null) => v ?? '—' },
          { title: t('quality.figures.fatal'), dataIndex: 'fatalErrors' },
          { title: t('quality.figures.appeals'), dataIndex: 'appeals' },
        ]}
      />
    </Space>
  );
}
