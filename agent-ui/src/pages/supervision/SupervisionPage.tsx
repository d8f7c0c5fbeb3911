import { App, Card, Col, Drawer, Row, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { ChaseNotes } from '../inbox/ChaseNotes.tsx';
import { TicketDetails } from '../inbox/TicketDetails.tsx';
import { BacklogChart } from './BacklogChart.tsx';
import { BoardBreakdown } from './BoardBreakdown.tsx';
import { BoardSummary } from './BoardSummary.tsx';
import { BoardTickets } from './BoardTickets.tsx';
import { boardEvents, type Board, type BoardTicket } from './board.ts';
import { TicketActions } from './TicketActions.tsx';

/**
 * The 督办 board (docs/console.md): a head's department or a manager's court — what is overdue and what falls due
 * by the end of the next working day, by department and judge, the backlog by age, and the actions on a ticket.
 */
export default function SupervisionPage() {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { nameOf } = useCategories();
  const [board, setBoard] = useState<Board>();
  const [loading, setLoading] = useState(true);
  const [open, setOpen] = useState<Ticket>();
  // Bumped after each action, so the chase notes are read again.
  const [changes, setChanges] = useState(0);

  const reload = useCallback(async () => {
    try {
      setBoard(await api.get<Board>('/api/supervision'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setLoading(false);
    }
  }, [api]);
  useEffect(() => void reload(), [reload]);
  useRealtimeEvents(boardEvents, () => void reload());

  const openTicket = async (row: BoardTicket) => {
    try {
      setOpen(await api.get<Ticket>(`/api/tickets/${row.id}`));
    } catch (err) {
      void message.error(errorText(err));
    }
  };
  const run = async (path: string, body?: unknown): Promise<boolean> => {
    try {
      setOpen(await api.post<Ticket>(path, body));
      setChanges((n) => n + 1);
      void message.success(t('supervision.done'));
      void reload();
      return true;
    } catch (err) {
      void message.error(errorText(err));
      return false;
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card
        size="small"
        title={t('supervision.title')}
        extra={board && <Typography.Text type="secondary">{t('supervision.asOf', { time: dayjs(board.asOf).format('MM-DD HH:mm'), until: dayjs(board.dueSoonUntil).format('MM-DD HH:mm') })}</Typography.Text>}
        styles={{ body: { padding: 12 } }}
      >
        {board ? <BoardSummary totals={board.totals} /> : <Card loading size="small" />}
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={15}>
          <Card
            size="small"
            title={t('supervision.list')}
            extra={board && board.tickets.length >= board.limit && <Typography.Text type="secondary">{t('supervision.listLimit', { limit: board.limit })}</Typography.Text>}
          >
            <BoardTickets tickets={board?.tickets ?? []} loading={loading} onOpen={(row) => void openTicket(row)} />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card size="small" styles={{ body: { paddingTop: 0 } }}>{board && <BoardBreakdown board={board} />}</Card>
            <Card size="small" title={t('supervision.backlog')}>{board && <BacklogChart board={board} />}</Card>
          </Space>
        </Col>
      </Row>
      <Drawer open={Boolean(open)} size={560} title={open?.number} onClose={() => setOpen(undefined)} destroyOnHidden>
        {open && (
          <>
            <TicketDetails ticket={open} categoryName={nameOf(open.category)} />
            <ChaseNotes ticketId={open.id} version={changes} />
            <TicketActions ticket={open} canVoid={profile.role === 'manager'} run={run} />
          </>
        )}
      </Drawer>
    </Space>
  );
}
