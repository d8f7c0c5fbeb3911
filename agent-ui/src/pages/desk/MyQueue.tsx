import { App, Badge, Button, Card, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { RelayDialog } from './RelayDialog.tsx';
import { VisitDialog } from './VisitDialog.tsx';

interface QueueItem {
  id: string;
  number: string;
  stage: 'feedback' | 'callback';
  summary: string;
  callerNumber: string | null;
  callerName: string | null;
  repliedAt: string | null;
  reopenCount: number;
}

type Open = { kind: 'relay' | 'visit'; item: QueueItem } | undefined;

/**
 * My queue (首问负责): tickets I own whose reply is to be relayed, or whose return visit is due
 * (GET /api/console/my-queue). Reloaded when a reply comes in (ticket.replied) and every minute.
 */
export function MyQueue() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  // Telephony rings my softphone, then the caller, and bridges us (or, for a return visit, runs the voice survey).
  const callBack = (item: QueueItem, mode: 'operator' | 'survey') =>
    void api
      .post('/api/telephony/outbound', { purpose: item.stage === 'feedback' ? 'relay' : 'return_visit', mode, ticketId: item.id })
      .then(() => message.success(t(mode === 'survey' ? 'myQueue.surveyStarted' : 'myQueue.callbackStarted')), (err) => message.error(errorText(err)));
  const [items, setItems] = useState<QueueItem[]>([]);
  const [open, setOpen] = useState<Open>();
  const reload = useCallback(() => void api.get<QueueItem[]>('/api/console/my-queue').then(setItems, () => undefined), [api]);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [reload]);
  useRealtimeEvents(['ticket.replied', 'ticket.callback_due', 'ticket.reopened', 'resync'], reload);
  // An SMS relay the gateway could not deliver (or never confirmed): the ticket stays here to relay again.
  useRealtimeEvents(['ticket.relay_failed'], (event) => {
    const item = items.find((i) => i.id === event.data.ticketId);
    void message.warning(t('myQueue.relayFailed', { number: item?.number ?? '' }), 8);
    reload();
  });
  const done = () => {
    setOpen(undefined);
    reload();
  };

  return (
    <Card size="small" title={<Badge count={items.length} offset={[12, 0]} size="small">{t('myQueue.title')}</Badge>} data-testid="my-queue">
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: t('myQueue.empty') }}
        renderItem={(item) => (
          <List.Item key={item.id} data-testid={`queue-${item.number}`}>
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <span>
                <Tag color={item.stage === 'feedback' ? 'orange' : 'blue'}>{t(`myQueue.${item.stage}`)}</Tag>
                <Typography.Text strong>{item.number}</Typography.Text>
                {item.reopenCount > 0 && <Tag color="red">{t('myQueue.reopened', { count: item.reopenCount })}</Tag>}
              </span>
              <Typography.Text>{item.summary}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[item.callerName, item.callerNumber].filter(Boolean).join(' ')}
                {item.repliedAt ? ` · ${t('myQueue.replied', { time: dayjs(item.repliedAt).format('MM-DD HH:mm') })}` : ''}
              </Typography.Text>
              <Space size="small">
                {item.stage === 'feedback' ? (
                  <Button size="small" type="primary" onClick={() => setOpen({ kind: 'relay', item })}>{t('myQueue.relay')}</Button>
                ) : (
                  <Button size="small" type="primary" onClick={() => setOpen({ kind: 'visit', item })}>{t('myQueue.visit')}</Button>
                )}
                <Button size="small" data-testid="callback-button" onClick={() => callBack(item, 'operator')}>{t('myQueue.callbackCall')}</Button>
                {item.stage === 'callback' && (
                  <Button size="small" data-testid="survey-button" onClick={() => callBack(item, 'survey')}>{t('myQueue.surveyCall')}</Button>
                )}
              </Space>
            </Space>
          </List.Item>
        )}
      />
      {open?.kind === 'relay' && <RelayDialog ticketId={open.item.id} onClose={() => setOpen(undefined)} onDone={done} />}
      {open?.kind === 'visit' && <VisitDialog ticketId={open.item.id} number={open.item.number} onClose={() => setOpen(undefined)} onDone={done} />}
    </Card>
  );
}
