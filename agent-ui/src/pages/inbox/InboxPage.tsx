import { Alert, App, Card, Drawer, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { inboxFilters, type InboxFilter, type Judge, type Ticket } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useLookup } from '../../api/useLookup.ts';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { ChaseNotes } from './ChaseNotes.tsx';
import { DueTag } from './DueTag.tsx';
import { HandlerActions } from './HandlerActions.tsx';
import { HeadActions } from './HeadActions.tsx';
import { TicketDetails } from './TicketDetails.tsx';
import { useChaseAlerts } from './useChaseAlerts.ts';

const ticketEvents = ['ticket.assigned', 'ticket.accepted', 'ticket.due_soon', 'ticket.deadline_near', 'ticket.overdue', 'ticket.replied', 'ticket.reopened', 'ticket.extension_requested', 'ticket.extension_approved', 'ticket.extension_refused', 'ticket.chased', 'ticket.escalated', 'resync'];

/** Judge / department head: tickets handed to me and my department, earliest deadline first. */
export function InboxPage() {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { nameOf } = useCategories();
  const [filter, setFilter] = useState<InboxFilter>('all');
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [loading, setLoading] = useState(true);
  const [unavailable, setUnavailable] = useState(false);
  const [open, setOpen] = useState<Ticket>();
  const isHead = profile.role === 'department_head';
  const judges = useLookup<Judge[]>(isHead && profile.departmentId ? `/api/judges?departmentId=${profile.departmentId}` : undefined, 'judges');

  const reload = useCallback(async () => {
    try {
      setTickets(await api.get<Ticket[]>(`/api/tickets-inbox?filter=${filter}`));
      setUnavailable(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && err.code === 'not_found') setUnavailable(true);
      else void message.error(errorText(err));
    } finally {
      setLoading(false);
    }
  }, [api, filter]);
  useEffect(() => void reload(), [reload]);
  useRealtimeEvents(ticketEvents, () => void reload());
  useChaseAlerts();

  /** Runs a ticket command; on success shows the updated ticket and refreshes the list. */
  const run = async (path: string, body?: unknown): Promise<boolean> => {
    try {
      const updated = await api.post<Ticket>(path, body);
      setOpen(updated);
      void message.success(t('inbox.done'));
      void reload();
      return true;
    } catch (err) {
      void message.error(errorText(err));
      return false;
    }
  };

  return (
    <Card title={t('inbox.title')}>
      {unavailable && <Alert type="warning" showIcon title={t('inbox.unavailable')} style={{ marginBottom: 12 }} />}
      <Tabs activeKey={filter} onChange={(key) => setFilter(key as InboxFilter)} items={inboxFilters.map((f) => ({ key: f, label: t(`inbox.filters.${f}`) }))} />
      <Table<Ticket>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={tickets}
        locale={{ emptyText: t('inbox.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(ticket) => ({ onClick: () => setOpen(ticket), onKeyDown: (e) => e.key === 'Enter' && setOpen(ticket), tabIndex: 0, style: { cursor: 'pointer' } })}
        columns={[
          { title: t('inbox.number'), dataIndex: 'number' },
          { title: t('inbox.deadline'), dataIndex: 'deadline', render: (deadline: string | null, ticket) => <>{deadline ? dayjs(deadline).format('MM-DD HH:mm') : ''} <DueTag ticket={ticket} /></> },
          { title: t('inbox.category'), dataIndex: 'category', render: nameOf },
          { title: t('inbox.summary'), dataIndex: 'summary', ellipsis: true },
          { title: t('inbox.caseNumber'), dataIndex: 'caseNumber' },
          { title: t('inbox.stage'), dataIndex: 'stage', render: (stage: string, ticket) => <><Tag>{t(`stages.${stage}`)}</Tag>{ticket.acceptedAt ? null : <Tag color="gold">{t('inbox.notAccepted')}</Tag>}</> },
        ]}
      />
      <Drawer open={Boolean(open)} width={560} title={open?.number} onClose={() => setOpen(undefined)} destroyOnHidden>
        {open && (
          <>
            <TicketDetails ticket={open} categoryName={nameOf(open.category)} />
            <ChaseNotes ticketId={open.id} />
            <HandlerActions ticket={open} run={run} />
            {isHead && <HeadActions ticket={open} judges={judges} run={run} />}
          </>
        )}
      </Drawer>
    </Card>
  );
}
