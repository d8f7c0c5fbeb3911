import { Button, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { UnownedEntry } from './entries.ts';

const kindColour: Record<UnownedEntry['kind'], string> = { message: 'blue', callback: 'green', unrouted: 'orange', abandoned: 'red' };

/** The entries, newest first: type, caller (masked), times, tries, menu choice, the message's recording, the claim button. */
export function UnownedTable(p: { entries: UnownedEntry[]; loading: boolean; canClaim: boolean; claiming: string | null; onClaim: (e: UnownedEntry) => void }) {
  const { t } = useTranslation();
  const time = (iso: string) => (dayjs(iso).isSame(dayjs(), 'day') ? dayjs(iso).format('HH:mm:ss') : dayjs(iso).format('MM-DD HH:mm'));
  return (
    <Table<UnownedEntry>
      size="small"
      rowKey="key"
      loading={p.loading}
      dataSource={p.entries}
      // Ten rows (messages' players make the tallest) and the pager fit 1366×768 without scrolling.
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false, size: 'small' }}
      locale={{ emptyText: t('unowned.empty') }}
      onRow={(e) => ({ 'data-testid': `entry-${e.key}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('unowned.kind'), dataIndex: 'kind', width: 110, render: (k: UnownedEntry['kind']) => <Tag color={kindColour[k]}>{t(`unowned.kinds.${k}`)}</Tag> },
        { title: t('unowned.caller'), dataIndex: 'callerNumberMasked', width: 130, render: (n: string) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{n || '—'}</Typography.Text> },
        {
          title: t('unowned.time'),
          dataIndex: 'lastAt',
          width: 150,
          render: (_: string, e) => (
            <Tooltip title={e.times.map(time).join(' · ')}>
              <span>
                {time(e.lastAt)}
                {e.tries > 1 && <Typography.Text type="secondary"> ← {time(e.times[e.times.length - 1]!)}</Typography.Text>}
              </span>
            </Tooltip>
          ),
        },
        { title: t('unowned.tries'), dataIndex: 'tries', width: 70, render: (n: number) => (n > 1 ? <Tag color="volcano">{t('unowned.triesN', { n })}</Tag> : t('unowned.triesN', { n })) },
        { title: t('unowned.menu'), dataIndex: 'menuOption', width: 120, render: (o: string | null) => (o ? t(`unowned.menuOptions.${o}`, { defaultValue: o }) : <Typography.Text type="secondary">{t('unowned.noChoice')}</Typography.Text>) },
        {
          title: t('unowned.recording'),
          dataIndex: 'recordingUrl',
          width: 260,
          render: (url: string | null, e) => (url ? <audio controls preload="none" src={url} style={{ height: 28, width: 240 }} data-testid={`recording-${e.key}`} /> : t('unowned.noRecording')),
        },
        {
          title: t('unowned.auto'),
          dataIndex: 'autoCallback',
          width: 120,
          render: (a: UnownedEntry['autoCallback']) => (a ? t('unowned.autoState', { n: a.attempts, status: t(`unowned.autoStatuses.${a.lastStatus ?? 'scheduled'}`) }) : '—'),
        },
        ...(p.canClaim
          ? [
              {
                title: '',
                key: 'claim',
                width: 80,
                render: (_: unknown, e: UnownedEntry) => (
                  <Space>
                    <Button type="primary" size="small" loading={p.claiming === e.key} disabled={p.claiming !== null && p.claiming !== e.key} onClick={() => p.onClaim(e)}>
                      {t('unowned.claim')}
                    </Button>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
