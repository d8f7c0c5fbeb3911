import { Empty, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';

interface TrailEvent {
  id: number;
  action: string;
  actorRole: string;
  at: string;
  reason: string | null;
  after: Record<string, unknown>;
}

/**
 * The chase notes (督办) and escalations of a ticket, newest first, from its trail: what the head or manager wrote
 * to the handler (texts in the supervision feature's namespace, which the whole console loads). `version` changes when the ticket changed, so the notes are read again.
 */
export function ChaseNotes({ ticketId, version }: { ticketId: string; version?: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const [notes, setNotes] = useState<TrailEvent[]>();
  useEffect(() => {
    let current = true;
    api.get<TrailEvent[]>(`/api/tickets/${ticketId}/events`).then(
      (events) => current && setNotes(events.filter((e) => (e.action === 'chase' || e.action === 'escalate') && e.reason !== null).reverse()),
      () => current && setNotes([]),
    );
    return () => void (current = false);
  }, [api, ticketId, version]);
  if (!notes) return null;
  return (
    <div data-testid="chase-notes" style={{ marginTop: 16 }}>
      <Typography.Title level={5}>{t('supervision.notes')}</Typography.Title>
      {notes.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('supervision.noNotes')} />
      ) : (
        <Timeline
          items={notes.map((n) => ({
            key: n.id,
            color: n.action === 'escalate' ? 'red' : 'orange',
            content: (
              <>
                <Tag color={n.action === 'escalate' ? 'red' : 'orange'}>{n.action === 'escalate' ? t(`supervision.escalatedTo.${n.after.level === 2 ? 2 : 1}`) : t('stages.chase')}</Tag>
                <Typography.Text type="secondary">
                  {dayjs(n.at).format('MM-DD HH:mm')} · {t(`roles.${n.actorRole}`)}
                </Typography.Text>
                <div style={{ whiteSpace: 'pre-wrap' }}>{n.reason}</div>
              </>
            ),
          }))}
        />
      )}
    </div>
  );
}
