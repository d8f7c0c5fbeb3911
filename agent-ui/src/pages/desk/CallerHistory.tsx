import { App, Card, Input, List, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

/** The caller's earlier work orders (GET /api/callers/:number/tickets): filled by the screen pop, or looked up by hand. */
export function CallerHistory({ number, previousCalls, refreshKey }: { number?: string; previousCalls?: number; refreshKey?: number }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [query, setQuery] = useState(number ?? '');
  const [tickets, setTickets] = useState<Ticket[]>();

  const lookUp = useCallback(
    async (value: string) => {
      const digits = value.trim();
      if (!/^\+?[0-9]{3,20}$/.test(digits)) return setTickets(undefined);
      try {
        setTickets(await api.get<Ticket[]>(`/api/callers/${encodeURIComponent(digits)}/tickets`));
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

  return (
    <Card size="small" title={t('desk.history')} data-testid="caller-history">
      <Input.Search value={query} onChange={(e) => setQuery(e.target.value)} onSearch={(v) => void lookUp(v)} enterButton={t('desk.lookUp')} placeholder={t('desk.callerNumber')} inputMode="tel" />
      {previousCalls !== undefined && <Typography.Text type="secondary">{t('desk.previousCalls', { count: previousCalls })}</Typography.Text>}
      {tickets && (
        <List
          size="small"
          dataSource={tickets}
          locale={{ emptyText: t('desk.noHistory') }}
          renderItem={(ticket) => (
            <List.Item>
              <List.Item.Meta
                title={<>{ticket.number} <Tag>{t(`stages.${ticket.stage}`)}</Tag></>}
                description={<>{dayjs(ticket.createdAt).format('YYYY-MM-DD')} · {ticket.summary}{ticket.caseNumber ? ` · ${ticket.caseNumber}` : ''}</>}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
