import { Drawer, Spin, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { useCategories } from '../../api/useCategories.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { TicketDetails } from '../inbox/TicketDetails.tsx';

interface TicketEvent { id: number; action: string; actorRole: string; at: string; reason: string | null }

/** One ticket and its hash-chained trail (GET /api/tickets/:id and /events): where a KPI figure ends. */
export function TicketTrail({ ticketId, onClose }: { ticketId: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const { nameOf } = useCategories();
  const [ticket, setTicket] = useState<Ticket>();
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    setTicket(undefined);
    setError(undefined);
    if (!ticketId) return;
    Promise.all([api.get<Ticket>(`/api/tickets/${ticketId}`), api.get<TicketEvent[]>(`/api/tickets/${ticketId}/events`)]).then(
      ([found, trail]) => {
        setTicket(found);
        setEvents(trail);
      },
      (err) => setError(errorText(err)),
    );
  }, [api, ticketId]);
  return (
    <Drawer open={Boolean(ticketId)} onClose={onClose} size="large" title={ticket?.number ?? t('common.loading')} destroyOnHidden>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {!ticket && !error && <Spin />}
      {ticket && (
        <>
          <TicketDetails ticket={ticket} categoryName={nameOf(ticket.category)} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('kpi.trail')}</Typography.Title>
          <Timeline
            items={events.map((e) => ({
              key: e.id,
              content: (
                <>
                  {dayjs(e.at).format('YYYY-MM-DD HH:mm')} · {t(`ticketActions.${e.action}`, { defaultValue: e.action })} · {e.actorRole in roleKeys ? t(`roles.${e.actorRole}`) : e.actorRole}
                  {e.reason ? ` · ${e.reason}` : ''}
                </>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}

const roleKeys = { operator: 1, judge: 1, department_head: 1, manager: 1, admin: 1 };
