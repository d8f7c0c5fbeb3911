import { App, Badge, Button, Card, List, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { RelayDialog, type CurrentCall } from './RelayDialog.tsx';
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
  /** The latest relay of the reply (a failed one says why). */
  lastRelay: { channel: 'phone' | 'sms'; status: 'requested' | 'sending' | 'sent' | 'delivered' | 'failed'; detail: string | null; at: string } | null;
}

type Open = { kind: 'relay' | 'visit'; item: QueueItem } | undefined;

/**
 * My queue (首问负责): tickets I own whose reply is to be relayed, or whose return visit is due
 * (GET /api/console/my-queue), each with its latest relay. Reloaded when a reply comes in (ticket.replied), when
 * a relay is recorded or fails, and every minute. A relay counts only on evidence: the relay call's record or
 * the SMS receipt moves the ticket on by itself.
 */
export function MyQueue({ currentCall }: { currentCall?: CurrentCall | undefined }) {
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
  // The last reload failed: an empty list must not read as "nothing to do", nor old items as current.
  const [failed, setFailed] = useState<{ loadedAt?: number }>();
  const loadedAt = useRef<number>(undefined);
  const [open, setOpen] = useState<Open>();
  const reload = useCallback(
    () =>
      void api.get<QueueItem[]>('/api/console/my-queue').then(
        (list) => {
          loadedAt.current = Date.now();
          setItems(list);
          setFailed(undefined);
        },
        () => setFailed({ loadedAt: loadedAt.current }),
      ),
    [api],
  );
  useEffect(() => {
    reload();
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [reload]);
  useRealtimeEvents(['ticket.replied', 'ticket.callback_due', 'ticket.reopened', 'outbound.ended', 'resync'], reload);
  // A relay that did not reach the caller (SMS not delivered, relay call not connected): it stays here, with why.
  useRealtimeEvents(['ticket.relay_failed'], (event) => {
    const item = items.find((i) => i.id === event.data.ticketId);
    void message.warning(t('myQueue.relayFailed', { number: item?.number ?? '', detail: typeof event.data.detail === 'string' ? event.data.detail : '' }), 8);
    reload();
  });
  const done = () => {
    setOpen(undefined);
    reload();
  };

  return (
    <Card
      size="small"
      title={<Badge count={items.length} offset={[12, 0]} size="small">{t('myQueue.title')}</Badge>}
      extra={
        failed?.loadedAt !== undefined && (
          <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="my-queue-stale">
            {t('myQueue.stale', { time: dayjs(failed.loadedAt).format('HH:mm') })}
          </Typography.Text>
        )
      }
      data-testid="my-queue"
    >
      <List
        size="small"
        // The desk is one screen (1366×768): a long queue scrolls inside its card, never the page.
        style={{ maxHeight: 'max(110px, calc(100vh - 660px))', overflowY: 'auto' }}
        dataSource={items}
        locale={{
          emptyText:
            failed && failed.loadedAt === undefined ? (
              <Typography.Text type="danger" data-testid="my-queue-unread">
                {t('myQueue.unread')}
              </Typography.Text>
            ) : (
              t('myQueue.empty')
            ),
        }}
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
              {item.stage === 'feedback' && item.lastRelay?.status === 'failed' && (
                <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="last-relay-failed">
                  {t('myQueue.lastRelayFailed', { channel: t(`myQueue.${item.lastRelay.channel}`), time: dayjs(item.lastRelay.at).format('MM-DD HH:mm') })}: {item.lastRelay.detail}
                </Typography.Text>
              )}
              {item.stage === 'feedback' && item.lastRelay && ['requested', 'sending', 'sent'].includes(item.lastRelay.status) && (
                <Tag color="processing" data-testid="relay-under-way">{t('myQueue.relayUnderWay', { channel: t(`myQueue.${item.lastRelay.channel}`) })}</Tag>
              )}
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
      {open?.kind === 'relay' && <RelayDialog ticketId={open.item.id} currentCall={currentCall} onClose={() => setOpen(undefined)} onDone={done} />}
      {open?.kind === 'visit' && <VisitDialog ticketId={open.item.id} number={open.item.number} onClose={() => setOpen(undefined)} onDone={done} />}
    </Card>
  );
}
