import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';

/**
 * Shows the handler a chase (督办) or an escalation as it arrives, with the note the head or manager wrote, until it
 * is closed: a note that only refreshed the list would go unread.
 */
export function useChaseAlerts(): void {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  useRealtimeEvents(['ticket.chased', 'ticket.escalated'], (event) => {
    const data = (event.data ?? {}) as { number?: string; reason?: string; level?: number; ticketId?: string };
    notification.warning({
      key: `chase-${data.ticketId ?? ''}-${event.id ?? ''}`,
      title: `${event.type === 'ticket.escalated' ? t(`supervision.escalatedTo.${data.level === 2 ? 2 : 1}`) : t('stages.chase')} · ${data.number ?? ''}`,
      description: data.reason,
      duration: 0,
      placement: 'topRight',
      props: { 'data-testid': 'chase-alert' } as Record<string, string>,
    });
  });
}
