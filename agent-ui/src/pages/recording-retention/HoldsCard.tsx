import { Alert, Button, Card, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { ReasonModal } from './ReasonModal.tsx';
import type { RecordingHold } from './types.ts';

const when = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm');

/** The court's legal holds (GET /api/telephony/recording-holds), active first; a hold is lifted here with a reason. */
export function HoldsCard({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [rows, setRows] = useState<RecordingHold[]>([]);
  const [activeOnly, setActiveOnly] = useState(false);
  const [lifting, setLifting] = useState<RecordingHold>();
  const [error, setError] = useState<string>();

  const load = useCallback(() => {
    api.get<RecordingHold[]>(`/api/telephony/recording-holds${activeOnly ? '?active=1' : ''}`).then(setRows, (err) => setError(errorText(err)));
  }, [api, activeOnly]);
  useEffect(load, [load]);

  return (
    <Card
      size="small"
      title={t('retention.holds')}
      extra={
        <Space>
          <Typography.Text>{t('retention.activeOnly')}</Typography.Text>
          <Switch size="small" checked={activeOnly} onChange={setActiveOnly} aria-label={t('retention.activeOnly')} />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('retention.holdsIntro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      <Table
        data-testid="retention-holds"
        size="small"
        rowKey="id"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={rows}
        locale={{ emptyText: t('retention.noHolds') }}
        columns={[
          { title: t('retention.call'), key: 'call', render: (_, h) => <Link to={`/calls/${h.callId}`}>{when(h.callArrivedAt)}</Link> },
          { title: t('retention.kind'), dataIndex: 'kind', render: (kind: string) => t(`retention.kinds.${kind}`, { defaultValue: kind }) },
          { title: t('retention.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('retention.placed'), key: 'placed', render: (_, h) => `${h.placedBy.name} · ${when(h.placedAt)}` },
          {
            title: t('retention.state'),
            key: 'state',
            render: (_, h) =>
              h.lifted ? (
                <span>
                  <Tag>{t('retention.lifted')}</Tag>
                  {h.lifted.by.name} · {when(h.lifted.at)} · {h.lifted.reason}
                </span>
              ) : (
                <Tag color="red">{t('retention.active')}</Tag>
              ),
          },
          {
            title: '',
            key: 'act',
            width: 110,
            render: (_, h) =>
              h.lifted || !h.mayLift ? null : (
                <Button type="link" onClick={() => setLifting(h)} aria-label={`${t('retention.lift')} ${when(h.callArrivedAt)}`}>
                  {t('retention.lift')}
                </Button>
              ),
          },
        ]}
      />
      <ReasonModal
        title={t('retention.liftTitle')}
        open={lifting !== undefined}
        onClose={() => setLifting(undefined)}
        submit={async (reason) => {
          await api.post(`/api/telephony/recording-holds/${lifting!.id}/lift`, { reason });
          load();
          onChange();
        }}
      />
    </Card>
  );
}
