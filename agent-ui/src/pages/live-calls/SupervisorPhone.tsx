import { Alert, Badge, Button, Card, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSoftphone } from '../../softphone/useSoftphone.ts';

const registrationBadge = { registered: 'success', registering: 'processing', unregistered: 'default', failed: 'error' } as const;
const micBadge = { granted: 'success', denied: 'error', unknown: 'default' } as const;
/** How long after a listen/whisper/barge click the leg it asked for is answered without a second click. */
const armedMs = 30_000;

/**
 * A head's or manager's console softphone on 通话监听: registers their own endpoint (GET /api/console/softphone) so
 * supervision dials it (telephony/supervision/control.ts). The leg is answered automatically when it rings within
 * 30 s of a listen/whisper/barge click on this page (`arm`): the click already asked for it, and a second click
 * would let the caller and operator talk on unheard. A call that rings otherwise (not asked for here) waits for
 * the answer button, so nothing reaches a supervisor's microphone unasked.
 */
export function SupervisorPhone({ armedAt }: { armedAt: number }) {
  const { t } = useTranslation();
  const audio = useRef<HTMLAudioElement>(null);
  const phone = useSoftphone(audio);
  const { call } = phone;
  // Once per ringing leg: re-renders while JsSIP answers must not answer again.
  const answered = useRef<object>(undefined);
  useEffect(() => {
    if (call.kind !== 'ringing' || answered.current === call || Date.now() - armedAt >= armedMs) return;
    answered.current = call;
    phone.answer();
  }, [call, armedAt, phone]);

  return (
    <Card size="small" title={t('liveCalls.phone')} data-testid="supervisor-phone">
      <audio ref={audio} autoPlay />
      <Space wrap>
        <Badge status={registrationBadge[phone.registration]} text={t(`softphone.${phone.registration}`)} data-testid="supervisor-sip-registration" />
        <Badge status={micBadge[phone.mic]} text={t(`softphone.mic.${phone.mic}`)} />
        {call.kind === 'in_call' && <Typography.Text strong data-testid="supervisor-in-call">{t('liveCalls.onLeg')}</Typography.Text>}
        {call.kind === 'ringing' && (
          <Button type="primary" onClick={phone.answer} data-testid="supervisor-answer">
            {t('softphone.answer')}
          </Button>
        )}
        {call.kind !== 'idle' && (
          <Button danger onClick={phone.hangUp}>
            {t('softphone.hangup')}
          </Button>
        )}
      </Space>
      {phone.settings && !phone.settings.endpoint && <Alert type="info" showIcon title={t('liveCalls.noPhone')} />}
    </Card>
  );
}
