import { Alert, Badge, Button, Card, Collapse, Input, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHotkeys } from '../shell/useHotkeys.ts';
import { Keypad } from './Keypad.tsx';
import { useSoftphone } from './useSoftphone.ts';

const registrationBadge = { registered: 'success', registering: 'processing', unregistered: 'default', failed: 'error' } as const;
const connectionBadge = { connected: 'success', connecting: 'processing', disconnected: 'error' } as const;
const micBadge = { granted: 'success', denied: 'error', unknown: 'default' } as const;

/** The operator's browser phone: status lines, then answer / hang up / hold / mute and the keypad. Alt+A, Alt+H, Alt+M. */
export function Softphone() {
  const { t } = useTranslation();
  const audio = useRef<HTMLAudioElement>(null);
  const phone = useSoftphone(audio);
  const [typed, setTyped] = useState('');
  const { call } = phone;
  useHotkeys({ 'Alt+A': phone.answer, 'Alt+H': phone.hangUp, 'Alt+M': phone.toggleMute });

  return (
    <Card size="small" title={t('softphone.title')} data-testid="softphone">
      <audio ref={audio} autoPlay />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Badge status={registrationBadge[phone.registration]} text={t(`softphone.${phone.registration}`)} data-testid="sip-registration" />
        <Badge status={connectionBadge[phone.connection]} text={t(`softphone.connection.${phone.connection}`)} />
        <Badge status={micBadge[phone.mic]} text={t(`softphone.mic.${phone.mic}`)} data-testid="mic-status" />
        {phone.settings && !phone.settings.endpoint && <Alert type="warning" showIcon title={t('softphone.noEndpoint')} />}
        {phone.needsPassword && (
          <Space.Compact block>
            <Input.Password placeholder={t('softphone.password')} value={typed} onChange={(e) => setTyped(e.target.value)} onPressEnter={() => phone.setPassword(typed)} autoComplete="off" />
            <Button onClick={() => phone.setPassword(typed)}>{t('softphone.connect')}</Button>
          </Space.Compact>
        )}
        {call.kind === 'ringing' && <Alert type="warning" showIcon title={t('softphone.incoming', { from: call.from })} data-testid="incoming-call" />}
        {call.kind === 'in_call' && <Typography.Text strong>{t('softphone.inCall', { from: call.from })}</Typography.Text>}
        <Space wrap>
          <Button type="primary" disabled={call.kind !== 'ringing'} onClick={phone.answer}>{t('softphone.answer')}</Button>
          <Button danger disabled={call.kind === 'idle'} onClick={phone.hangUp}>{t('softphone.hangup')}</Button>
          <Button disabled={call.kind !== 'in_call'} onClick={phone.toggleHold}>{call.kind === 'in_call' && call.held ? t('softphone.resume') : t('softphone.hold')}</Button>
          <Button disabled={call.kind !== 'in_call'} onClick={phone.toggleMute}>{call.kind === 'in_call' && call.muted ? t('softphone.unmute') : t('softphone.mute')}</Button>
        </Space>
        <Collapse size="small" items={[{ key: 'keypad', label: t('softphone.keypad'), children: <Keypad disabled={call.kind !== 'in_call'} onDigit={phone.sendDigit} /> }]} />
      </Space>
    </Card>
  );
}
