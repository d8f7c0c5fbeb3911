import { Alert, App, Button, Descriptions, Form, Input, Modal, Radio, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

type Channel = 'phone' | 'sms';

/** The call the operator has in hand (the screen pop), if any. */
export interface CurrentCall {
  callId: string;
  callerNumber: string;
}

/**
 * Relaying the handler's reply to the caller (反馈). Only evidence counts: by SMS the system sends it and the
 * gateway's receipt records it (offered only when the server has an SMS gateway); by phone the system places the
 * relay call (my softphone, then the caller) and the call's recorded result records it (POST /relay). The
 * operator may record "could not reach", or, with the caller on the line now, that they were told on this call
 * (POST /delivery with the call's id: the server checks the call record).
 */
export function RelayDialog({ ticketId, currentCall, onClose, onDone }: { ticketId: string; currentCall?: CurrentCall | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [ticket, setTicket] = useState<Ticket>();
  const [channel, setChannel] = useState<Channel>('phone');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  /** The channels the server offers: SMS only when a gateway is configured (GET /api/tickets/sms); null until it answers. */
  const [offered, setOffered] = useState<Channel[] | null>(null);
  const channels = offered ?? ['phone'];
  useEffect(() => void api.get<Ticket>(`/api/tickets/${ticketId}`).then(setTicket, (err) => setError(errorText(err))), [api, ticketId]);
  useEffect(() => void api.get<{ relayChannels: Channel[] }>('/api/tickets/sms').then((s) => setOffered(s.relayChannels), () => setOffered(['phone'])), [api]);

  const run = async (action: () => Promise<unknown>, done = t('myQueue.done')) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      void message.success(done);
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const withNote = () => (note.trim() ? { note: note.trim() } : {});
  const notReached = () => run(() => api.post(`/api/tickets/${ticketId}/delivery`, { channel: 'phone', delivered: false, ...withNote() }));
  const toldOnCall = (callId: string) => run(() => api.post(`/api/tickets/${ticketId}/delivery`, { channel: 'phone', delivered: true, callId, ...withNote() }));
  const callCaller = () => run(() => api.post(`/api/tickets/${ticketId}/relay`, { channel: 'phone' }), t('myQueue.relayCallStarted'));

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
            <Form.Item label={t('myQueue.channel')} extra={offered === null || offered.includes('sms') ? undefined : <span data-testid="sms-unavailable">{t('myQueue.smsUnavailable')}</span>}>
              <Radio.Group optionType="button" value={channel} onChange={(e) => setChannel(e.target.value as Channel)} options={channels.map((c) => ({ value: c, label: t(`myQueue.${c}`) }))} />
            </Form.Item>
            {channel === 'phone' ? (
              <>
                <Alert type="info" showIcon title={t('myQueue.relayPhoneHint')} style={{ marginBottom: 12 }} data-testid="relay-phone-hint" />
                <Button type="primary" loading={busy} onClick={() => void callCaller()} data-testid="relay-call" style={{ marginBottom: 16 }}>
                  {t('myQueue.relayCall')}
                </Button>
                {currentCall && (
                  <Alert
                    type="success"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={t('myQueue.toldOnCallHint', { number: currentCall.callerNumber })}
                    action={
                      <Button size="small" loading={busy} onClick={() => void toldOnCall(currentCall.callId)} data-testid="told-on-call">
                        {t('myQueue.toldOnCall')}
                      </Button>
                    }
                  />
                )}
                <Form.Item label={t('myQueue.note')}>
                  <Input.TextArea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
                </Form.Item>
                <Button loading={busy} onClick={() => void notReached()}>{t('myQueue.notDelivered')}</Button>
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
