import { Button, Table, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { BoardTicket } from './board.ts';

/** Overdue and soon-due work, earliest deadline first; a row opens the actions. */
export function BoardTickets({ tickets, onOpen, loading }: { tickets: BoardTicket[]; onOpen: (ticket: BoardTicket) => void; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<BoardTicket>
      data-testid="supervision-tickets"
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={tickets}
      locale={{ emptyText: t('supervision.empty') }}
      pagination={{ pageSize: 20, hideOnSinglePage: true, size: 'small', showSizeChanger: false }}
      scroll={{ x: 880 }}
      onRow={(ticket) => ({ onDoubleClick: () => onOpen(ticket) })}
      columns={[
        { title: t('supervision.number'), dataIndex: 'number', width: 168, render: (number: string) => <span style={{ whiteSpace: 'nowrap' }}>{number}</span> },
        {
          title: t('supervision.deadline'),
          dataIndex: 'deadline',
          width: 150,
          render: (deadline: string | null, ticket) => (
            <span style={{ whiteSpace: 'nowrap' }}>
              {deadline ? dayjs(deadline).format('MM-DD HH:mm') : ''}{' '}
              <Tag color={ticket.overdue ? 'red' : 'orange'}>{ticket.overdue ? t('supervision.overdue') : t('inbox.dueSoon')}</Tag>
            </span>
          ),
        },
        {
          title: t('supervision.handler'),
          key: 'handler',
          width: 170,
          render: (_: unknown, ticket) => (
            <>
              {ticket.handlerName ?? t('supervision.unnamed')}
              <div style={{ color: '#8c8c8c', fontSize: 12 }}>{ticket.departmentName}</div>
            </>
          ),
        },
        {
          title: t('supervision.chaseLevel'),
          dataIndex: 'chaseLevel',
          width: 136,
          render: (level: number, ticket) => (
            <>
              {level > 0 ? <Tag color={level > 1 ? 'red' : 'gold'}>{t(`supervision.level.${Math.min(level, 2)}`)}</Tag> : <Tag>{t(`stages.${ticket.stage}`)}</Tag>}
              {ticket.extensionRequestedUntil && <Tag color="blue">{t('supervision.extensionRequested')}</Tag>}
            </>
          ),
        },
        { title: t('supervision.summary'), dataIndex: 'summary', ellipsis: { showTitle: false }, render: (summary: string) => <Tooltip title={summary}>{summary}</Tooltip> },
        {
          title: t('supervision.act'),
          key: 'act',
          width: 76,
          fixed: 'right',
          render: (_: unknown, ticket) => (
            <Button size="small" type="primary" ghost onClick={() => onOpen(ticket)} data-testid={`act-${ticket.number}`}>
              {t('supervision.act')}
            </Button>
          ),
        },
      ]}
    />
  );
}
