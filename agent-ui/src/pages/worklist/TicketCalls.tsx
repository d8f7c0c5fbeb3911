import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaTime, type TicketPageData } from './types.ts';

type Call = TicketPageData['calls'][number];

/** The calls a ticket came from: when, how long, who answered, how it ended, and its recordings (played in the page when allowed). */
export function TicketCalls({ calls }: { calls: Call[] }) {
  const { t } = useTranslation();
  const span = (s: number | null) => (s === null ? '' : s < 60 ? t('worklist.seconds', { s }) : t('worklist.minutes', { m: Math.floor(s / 60), s: s % 60 }));
  return (
    <Table<Call>
      rowKey="callId"
      size="small"
      pagination={false}
      dataSource={calls}
      locale={{ emptyText: t('worklist.noCalls') }}
      columns={[
        { title: t('worklist.callTime'), dataIndex: 'arrivedAt', render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{chinaTime(at, true)}</span> },
        {
          title: t('worklist.duration'),
          key: 'duration',
          render: (_: unknown, c) => (
            <span style={{ whiteSpace: 'nowrap' }}>
              {span(c.durationSeconds)}
              {c.talkSeconds !== null && <Typography.Text type="secondary"><br />{t('worklist.talk')} {span(c.talkSeconds)}</Typography.Text>}
            </span>
          ),
        },
        { title: t('worklist.operator'), dataIndex: 'operatorName' },
        { title: t('worklist.outcome'), dataIndex: 'outcome', render: (o: string | null) => (o ? <span style={{ whiteSpace: 'nowrap' }}>{t(`worklist.outcomes.${o}`, { defaultValue: o })}</span> : '') },
        {
          title: t('worklist.recording'),
          key: 'recordings',
          render: (_: unknown, c) =>
            c.recordings.map((r) => (
              <div key={r.kind} data-recording={r.kind}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`worklist.kinds.${r.kind}`, { defaultValue: r.kind })}</Typography.Text>
                <br />
                {r.playable ? (
                  <audio controls preload="none" src={r.url} style={{ height: 32, width: 220 }} />
                ) : (
                  <Tag>{t(`worklist.recordingStatus.${r.status === 'stored' ? 'notAllowed' : r.status}`, { defaultValue: r.status })}</Tag>
                )}
              </div>
            )),
        },
      ]}
    />
  );
}
