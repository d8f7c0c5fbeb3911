import { App, Card, Input, List, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../../api/useCategories.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

/** GET /api/telephony/callers/:callerNumber/history: the caller's calls to the court and their tickets, newest first. */
interface History {
  calls: Array<{ callId: string; arrivedAt: string; outcome: string | null; skill: string | null }>;
  tickets: Array<{ id: string; number: string; stage: string; category: string; summary: string; createdAt: string }>;
}

/**
 * The caller's past calls and tickets, filled by the screen pop or looked up by hand. What belongs to the call being
 * taken — the call itself, its draft ticket, tickets filed during it — is not history and is left out.
 */
export function CallerHistory({ number, currentCallId, currentTicketIds, refreshKey }: { number?: string | undefined; currentCallId?: string | undefined; currentTicketIds: string[]; refreshKey?: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { nameOf } = useCategories();
  const [query, setQuery] = useState(number ?? '');
  const [history, setHistory] = useState<History>();

  const lookUp = useCallback(
    async (value: string) => {
      const digits = value.trim();
      if (!/^\+?[0-9]{3,20}$/.test(digits)) return setHistory(undefined);
      try {
        setHistory(await api.get<History>(`/api/telephony/callers/${encodeURIComponent(digits)}/history`));
      } catch (err) {
        void message.error(errorText(err));
      }
    },
    [api],
  );
  useEffect(() => {
    if (number) {
      setQuery(number);
      void lookUp(number);
    }
  }, [number, lookUp, refreshKey]);

  const calls = (history?.calls ?? []).filter((c) => c.callId !== currentCallId).slice(0, 5);
  const tickets = (history?.tickets ?? []).filter((x) => !currentTicketIds.includes(x.id));
  return (
    <Card size="small" title={t('desk.history')} data-testid="caller-history" styles={{ body: { padding: '8px 12px' } }}>
      <Input.Search size="small" value={query} onChange={(e) => setQuery(e.target.value)} onSearch={(v) => void lookUp(v)} enterButton={t('desk.lookUp')} placeholder={t('desk.callerNumber')} inputMode="tel" />
      {history && (
        <>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }}>{t('desk.pastCalls', { count: calls.length })}</Typography.Text>
          <div data-testid="caller-past-calls">
            {calls.map((c) => (
              <div key={c.callId}>
                <Typography.Text>{dayjs(c.arrivedAt).format('MM-DD HH:mm')}</Typography.Text>{' '}
                <Tag>{t(`desk.callOutcomes.${c.outcome ?? 'open'}`, { defaultValue: c.outcome ?? '' })}</Tag>
              </div>
            ))}
          </div>
          <List
            size="small"
            data-testid="caller-past-tickets"
            dataSource={tickets}
            locale={{ emptyText: t('desk.noHistory') }}
            renderItem={(ticket) => (
              <List.Item style={{ padding: '4px 0' }}>
                <List.Item.Meta
                  title={<>{ticket.number} <Tag>{t(`stages.${ticket.stage}`, { defaultValue: ticket.stage })}</Tag></>}
                  description={<>{dayjs(ticket.createdAt).format('YYYY-MM-DD')} · {nameOf(ticket.category)} · {ticket.summary}</>}
                />
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}
