import { Alert, App, Button, Descriptions, Form, Input, Modal, Radio, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

type Channel = 'phone' | 'sms';

/**
 * Relaying the handler's reply to the caller (反馈): by SMS the system sends it (POST /relay {channel: sms}),
 * offered only when the server has an SMS gateway; by phone the operator calls and records whether the caller
 * was told (POST /delivery).
 */
export function RelayDialog({ ticketId, onClose, onDone }: { ticketId: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [ticket, setTicket] = useState<Ticket>();
  const [channel, setChannel] = useState<Channel>('phone');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  /** The channels the server offers: SMS only when a gateway is configured (GET /api/tickets/sms). */
  const [channels, setChannels] = useState<Channel[]>(['phone']);
  useEffect(() => void api.get<Ticket>(`/api/tickets/${ticketId}`).then(setTicket, (err) => setError(errorText(err))), [api, ticketId]);
  useEffect(() => void api.get<{ relayChannels: Channel[] }>('/api/tickets/sms').then((s) => setChannels(s.relayChannels), () => setChannels(['phone'])), [api]);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      void message.success(t('myQueue.done'));
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const delivery = (delivered: boolean) => run(() => api.post(`/api/tickets/${ticketId}/delivery`, { channel: 'phone', delivered, ...(note.trim() ? { note: note.trim() } : {}) }));

  return (
    <Modal open title={t('myQueue.relayTitle', { number: ticket?.number ?? '' })} onCancel={onClose} footer={null} destroyOnHidden width={600}>
      {!ticket && !error && <Spin />}
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      {ticket && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('myQueue.callerNumber')}>{[ticket.callerName, ticket.callerNumber].filter(Boolean).join(' ')}</Descriptions.Item>
            <Descriptions.Item label={t('inbox.summary')}>{ticket.summary}</Descriptions.Item>
            <Descriptions.Item label={t('myQueue.reply')}>
              <div style={{ whiteSpace: 'pre-wrap' }} data-testid="relay-reply">{ticket.feedbackText}</div>
            </Descriptions.Item>
          </Descriptions>
          <Form layout="vertical">
            <Form.Item label={t('myQueue.channel')} extra={channels.includes('sms') ? undefined : <span data-testid="sms-unavailable">{t('myQueue.smsUnavailable')}</span>}>
              <Radio.Group optionType="button" value={channel} onChange={(e) => setChannel(e.target.value as Channel)} options={channels.map((c) => ({ value: c, label: t(`myQueue.${c}`) }))} />
            </Form.Item>
            {channel === 'phone' ? (
              <>
                <Form.Item label={t('myQueue.note')}>
                  <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
                </Form.Item>
                <Space>
                  <Button type="primary" loading={busy} onClick={() => void delivery(true)}>{t('myQueue.delivered')}</Button>
                  <Button loading={busy} onClick={() => void delivery(false)}>{t('myQueue.notDelivered')}</Button>
                </Space>
              </>
            ) : (
              <>
                <Alert type="info" showIcon title={t('myQueue.relaySmsHint')} style={{ marginBottom: 12 }} />
                <Button type="primary" loading={busy} onClick={() => void run(() => api.post(`/api/tickets/${ticketId}/relay`, { channel: 'sms' }))}>{t('myQueue.relaySms')}</Button>
              </>
            )}
          </Form>
        </Space>
      )}
    </Modal>
  );
}
