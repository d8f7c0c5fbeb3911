import { Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ReviewRow } from './types.ts';

const colors: Record<ReviewRow['status'], string> = { sampled: 'default', scored: 'blue', appealed: 'orange', accepted: 'green', decided: 'purple' };

export function StatusTag({ review }: { review: Pick<ReviewRow, 'status' | 'locked'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={colors[review.status]}>
      {t(`quality.statuses.${review.status}`)}
      {review.locked ? ` · ${t('quality.locked')}` : ''}
    </Tag>
  );
}

/** Sampled calls and their reviews; a row opens the review screen. */
export function ReviewTable({ rows, showOperator, testId }: { rows: ReviewRow[]; showOperator: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Table
      data-testid={testId}
      size="small"
      rowKey="id"
      dataSource={rows}
      pagination={{ pageSize: 15, hideOnSinglePage: true }}
      locale={{ emptyText: t('quality.empty') }}
      columns={[
        { title: t('quality.call'), key: 'call', render: (_, r) => dayjs(r.callArrivedAt).format('MM-DD HH:mm') },
        { title: t('quality.caller'), dataIndex: 'callerNumber' },
        ...(showOperator ? [{ title: t('quality.operator'), key: 'op', render: (_: unknown, r: ReviewRow) => r.operator.name }] : []),
        { title: t('quality.reason'), key: 'reasons', render: (_, r) => r.reasons.map((x) => <Tag key={x} color={x === 'random' ? undefined : 'red'}>{t(`quality.reasons.${x}`)}</Tag>) },
        { title: t('quality.status'), key: 'status', render: (_, r) => <StatusTag review={r} /> },
        { title: t('quality.score'), key: 'score', render: (_, r) => (r.score === null ? '—' : <span>{r.score}{r.fatal && <Tag color="red" style={{ marginLeft: 4 }}>{t('quality.fatal')}</Tag>}</span>) },
        { title: t('quality.reviewer'), key: 'reviewer', render: (_, r) => r.reviewer?.name ?? '—' },
        { title: '', key: 'open', width: 80, render: (_, r) => <Link to={`/quality/reviews/${r.id}`} aria-label={`${t('quality.open')} ${r.operator.name} ${dayjs(r.callArrivedAt).format('MM-DD HH:mm')}`}>{t('quality.open')}</Link> },
      ]}
    />
  );
}
